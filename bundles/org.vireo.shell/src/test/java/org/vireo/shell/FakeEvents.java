package org.vireo.shell;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.vireo.api.inventory.EventCategory;
import org.vireo.api.inventory.EventService;
import org.vireo.api.inventory.VireoEvent;

/** An event log in a list; counts the polls made with {@link #since}. */
final class FakeEvents implements EventService {
    final List<VireoEvent> events = new ArrayList<>();
    int polls;

    @Override
    public synchronized List<VireoEvent> since(long afterSequence) {
        polls++;
        return events.stream().filter(e -> e.sequence() > afterSequence).toList();
    }

    @Override
    public synchronized List<VireoEvent> recent(int max) {
        return List.copyOf(events.subList(Math.max(0, events.size() - max), events.size()));
    }

    @Override
    public synchronized VireoEvent post(EventCategory category, String subject, String type, String message) {
        VireoEvent e = new VireoEvent(events.size() + 1, Instant.parse("2025-03-01T10:00:00Z"), category, subject, type, message);
        events.add(e);
        return e;
    }
}
