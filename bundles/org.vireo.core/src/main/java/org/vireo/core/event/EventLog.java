package org.vireo.core.event;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.vireo.api.inventory.EventCategory;
import org.vireo.api.inventory.EventService;
import org.vireo.api.inventory.VireoEvent;
import org.vireo.api.model.Check;

/**
 * The event log: a ring of the most recent {@value #CAPACITY} events, numbered from 1. Each
 * event is also written to the {@code org.vireo.events} logger at INFO. Immediate, so that it
 * records from start-up and never loses its events when no one holds the service.
 */
@Component(service = EventService.class, immediate = true)
public final class EventLog implements EventService {
    /** How many events are kept. */
    public static final int CAPACITY = 10_000;

    private static final Logger LOG = Logger.getLogger("org.vireo.events");

    private final VireoEvent[] ring;
    private final Clock clock;
    private long last;

    /** A log of {@value #CAPACITY} events on the system clock. */
    @Activate
    public EventLog() {
        this(CAPACITY, Clock.systemUTC());
    }

    /**
     * @param capacity how many events to keep
     * @param clock the time source
     */
    public EventLog(int capacity, Clock clock) {
        this.ring = new VireoEvent[(int) Check.range("capacity", capacity, 1, 10_000_000)];
        this.clock = clock;
    }

    @Override
    public VireoEvent post(EventCategory category, String subject, String type, String message) {
        Check.present("category", category);
        VireoEvent event;
        synchronized (ring) {
            last++;
            event = new VireoEvent(last, clock.instant(), category, subject == null ? "" : subject, type == null ? "" : type,
                    message == null ? "" : message);
            ring[(int) ((last - 1) % ring.length)] = event;
        }
        LOG.info(() -> "#" + event.sequence() + " " + event.category() + " " + event.subject() + " " + event.type() + ": "
                + event.message());
        return event;
    }

    @Override
    public List<VireoEvent> since(long afterSequence) {
        synchronized (ring) {
            long first = Math.max(Math.max(afterSequence, 0) + 1, oldest());
            return copy(first, last);
        }
    }

    @Override
    public List<VireoEvent> recent(int max) {
        synchronized (ring) {
            long first = Math.max(oldest(), last - Math.max(max, 0) + 1);
            return copy(first, last);
        }
    }

    /** @return the sequence of the newest event, 0 if none */
    public long lastSequence() {
        synchronized (ring) {
            return last;
        }
    }

    private long oldest() {
        return Math.max(1, last - ring.length + 1);
    }

    private List<VireoEvent> copy(long first, long to) {
        List<VireoEvent> events = new ArrayList<>((int) Math.max(0, to - first + 1));
        for (long seq = first; seq <= to; seq++) {
            events.add(ring[(int) ((seq - 1) % ring.length)]);
        }
        return events;
    }
}
