package org.vireo.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vireo.api.inventory.EventCategory;
import org.vireo.api.inventory.VireoEvent;

class EventFollowerTest {
    private final FakeEvents events = new FakeEvents();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final List<Long> sleeps = new ArrayList<>();

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void printsEachNewEventOnceUntilInterrupted() {
        events.post(EventCategory.VM, "old", "started", "already shown");
        EventFollower follower = new EventFollower(events, millis -> {
            sleeps.add(millis);
            switch (sleeps.size()) {
                case 1 -> events.post(EventCategory.VM, "vm1", "started", "vm1 started");
                case 2 -> {
                    events.post(EventCategory.HOST, "h1", "lost", "h1 lost");
                    events.post(EventCategory.VM, "vm1", "crashed", "vm1 crashed");
                }
                case 3 -> {
                }
                default -> throw new InterruptedException();
            }
        });
        long last = follower.follow(1, out, VireoEvent::message);
        assertEquals(List.of("vm1 started", "h1 lost", "vm1 crashed"), bytes.toString(StandardCharsets.UTF_8).lines().toList());
        assertEquals(4, last);
        assertEquals(List.of(200L, 200L, 200L, 200L), sleeps);
        assertEquals(4, events.polls);
        assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is passed on to the caller");
    }

    @Test
    void anInterruptedThreadStopsBeforePolling() {
        Thread.currentThread().interrupt();
        long last = new EventFollower(events, millis -> sleeps.add(millis)).follow(0, out, VireoEvent::message);
        assertEquals(0, last);
        assertEquals(0, events.polls);
    }

    @Test
    void aClosedOutputStopsFollowing() {
        PrintStream broken = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                throw new java.io.IOException("session closed");
            }
        });
        events.post(EventCategory.VM, "vm1", "started", "vm1 started");
        long last = new EventFollower(events, millis -> sleeps.add(millis)).follow(0, broken, VireoEvent::message);
        assertEquals(1, last);
        assertEquals(List.of(), sleeps);
    }
}
