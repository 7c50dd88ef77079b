package org.vireo.hypervisor.sim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.vireo.api.model.InvalidSpecException;

class RealTimePacerTest {
    @Test
    void clockFollowsWallTimeTimesSpeedAndHoldsDuringBatch() {
        AtomicLong wall = new AtomicLong(1_000_000);
        SimEngine e = new SimEngine(1, 1000, PolicySource.NONE, 1);
        try (RealTimePacer p = new RealTimePacer(e, 1, 100, wall::get)) {
            wall.addAndGet(2500);
            p.catchUp();
            assertEquals(2500, e.clockMillis());
            assertEquals(2, e.intervals());
            p.speed(10);
            wall.addAndGet(1000);
            p.catchUp();
            assertEquals(12_500, e.clockMillis());
            p.hold();
            e.advance(60_000);
            wall.addAndGet(1000);
            p.catchUp();
            assertEquals(72_500, e.clockMillis(), "held: the batch run owns the clock");
            p.release();
            wall.addAndGet(100);
            p.catchUp();
            assertEquals(73_500, e.clockMillis(), "released: re-anchored, the batch is not paid back");
            p.speed(0);
            wall.addAndGet(10_000);
            p.catchUp();
            assertEquals(73_500, e.clockMillis());
            assertThrows(InvalidSpecException.class, () -> p.speed(-1));
        }
    }
}
