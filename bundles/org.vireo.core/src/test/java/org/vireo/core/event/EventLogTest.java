package org.vireo.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.vireo.api.inventory.EventCategory;
import org.vireo.api.inventory.VireoEvent;

class EventLogTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-05-01T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void sequenceStartsAtOneAndEventsCarryWhatWasPosted() {
        EventLog log = new EventLog(10, CLOCK);
        VireoEvent first = log.post(EventCategory.VM, "vm1", "started", "VM 'vm1' started");
        assertEquals(new VireoEvent(1, CLOCK.instant(), EventCategory.VM, "vm1", "started", "VM 'vm1' started"), first);
        assertEquals(2, log.post(EventCategory.HOST, "h1", "added", "m").sequence());
        assertEquals(List.of(first), log.since(0).subList(0, 1));
        assertEquals(1, log.since(1).size());
        assertEquals(List.of(), log.since(2));
    }

    @Test
    void ringKeepsOnlyTheNewestEvents() {
        EventLog log = new EventLog(5, CLOCK);
        for (int i = 1; i <= 12; i++) {
            log.post(EventCategory.SYSTEM, "s", "t", "event " + i);
        }
        assertEquals(List.of(8L, 9L, 10L, 11L, 12L), sequences(log.since(0)));
        assertEquals(List.of(11L, 12L), sequences(log.since(10)));
        assertEquals(List.of(10L, 11L, 12L), sequences(log.recent(3)));
        assertEquals(List.of(8L, 9L, 10L, 11L, 12L), sequences(log.recent(100)));
        assertEquals(List.of(), log.recent(0));
    }

    @Test
    void defaultCapacityIsTenThousand() {
        EventLog log = new EventLog();
        for (int i = 0; i < 10_005; i++) {
            log.post(EventCategory.SYSTEM, "s", "t", "m");
        }
        List<VireoEvent> kept = log.since(0);
        assertEquals(10_000, kept.size());
        assertEquals(6, kept.get(0).sequence());
    }

    @Test
    void concurrentPostersGetUniqueConsecutiveSequences() throws InterruptedException {
        EventLog log = new EventLog(100_000, CLOCK);
        int threads = 4;
        int each = 2_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> posters = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread poster = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    log.post(EventCategory.VM, "vm", "t", "m");
                }
            });
            posters.add(poster);
            poster.start();
        }
        start.countDown();
        for (Thread poster : posters) {
            poster.join();
        }
        List<VireoEvent> all = log.since(0);
        assertEquals(threads * each, all.size());
        TreeSet<Long> seen = new TreeSet<>(sequences(all));
        assertEquals(threads * each, seen.size());
        assertEquals(1L, seen.first());
        assertEquals((long) threads * each, seen.last());
    }

    @Test
    void everyEventIsLoggedAtInfo() {
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("org.vireo.events");
        logger.addHandler(handler);
        try {
            new EventLog(10, CLOCK).post(EventCategory.POLICY, "cpu", "swapped", "cpu: credit is active");
        } finally {
            logger.removeHandler(handler);
        }
        assertEquals(1, records.size());
        assertEquals(java.util.logging.Level.INFO, records.get(0).getLevel());
        assertTrue(records.get(0).getMessage().contains("POLICY cpu swapped: cpu: credit is active"), records.get(0).getMessage());
    }

    private static List<Long> sequences(List<VireoEvent> events) {
        return events.stream().map(VireoEvent::sequence).toList();
    }
}
