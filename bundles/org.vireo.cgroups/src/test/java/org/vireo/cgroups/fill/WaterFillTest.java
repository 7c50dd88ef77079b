package org.vireo.cgroups.fill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.vireo.api.model.InvalidSpecException;

class WaterFillTest {
    private static final double EPS = 1e-6;

    private static double[] fill(double capacity, double[] floors, double[] ceilings, double[] weights) {
        double[] out = new double[floors.length];
        WaterFill.fill(capacity, floors, ceilings, weights, floors.length, out);
        return out;
    }

    @Test
    void aFloorAboveTheWeightedShareIsKeptAndTheRestGoesToTheOthers() {
        assertArrayEquals(new double[] {2000, 1000},
                fill(3000, new double[] {2000, 0}, new double[] {6000, 6000}, new double[] {1000, 1000}), EPS);
    }

    @Test
    void weightsDivideWhatIsAboveTheFloors() {
        assertArrayEquals(new double[] {2000, 1000},
                fill(3000, new double[] {0, 0}, new double[] {3000, 3000}, new double[] {2000, 1000}), EPS);
    }

    @Test
    void whatACeilingLeavesGoesToTheOthers() {
        assertArrayEquals(new double[] {1000, 2000},
                fill(3000, new double[] {1000, 0}, new double[] {1000, 3000}, new double[] {1000, 1000}), EPS);
    }

    @Test
    void ceilingsThatFitAreGivenInFullAndTheRestStaysUnused() {
        double[] out = new double[2];
        double total = WaterFill.fill(10_000, new double[] {0, 100}, new double[] {500, 2000}, new double[] {1, 1}, 2, out);
        assertArrayEquals(new double[] {500, 2000}, out, EPS);
        assertEquals(2500, total, EPS);
    }

    @Test
    void floorsAboveTheCapacityAreScaledDownProportionally() {
        double[] out = new double[3];
        double total = WaterFill.fill(3000, new double[] {2000, 2000, 0}, new double[] {3000, 3000, 3000},
                new double[] {1, 5, 9}, 3, out);
        assertArrayEquals(new double[] {1500, 1500, 0}, out, EPS);
        assertEquals(3000, total, EPS);
    }

    @Test
    void nothingToDivideGivesNothing() {
        assertArrayEquals(new double[] {0, 0}, fill(0, new double[] {0, 0}, new double[] {10, 10}, new double[] {1, 1}), 0);
        assertArrayEquals(new double[] {0, 0}, fill(100, new double[] {0, 0}, new double[] {0, 0}, new double[] {1, 1}), 0);
        assertArrayEquals(new double[0], fill(100, new double[0], new double[0], new double[0]), 0);
    }

    @Test
    void anInfiniteCeilingTakesWhatIsLeft() {
        assertArrayEquals(new double[] {25, 75}, fill(100, new double[] {0, 0},
                new double[] {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY}, new double[] {1, 3}), EPS);
        assertArrayEquals(new double[] {10, 90}, fill(100, new double[] {0, 0},
                new double[] {10, Double.POSITIVE_INFINITY}, new double[] {1, 1}), EPS);
    }

    @Test
    void onlyTheFirstNClaimantsAreUsedAndOutMayBeAnInput() {
        double[] ceilings = {600, 600, 99};
        WaterFill.fill(900, new double[] {0, 0, 0}, ceilings, new double[] {1, 2, 3}, 2, ceilings);
        assertArrayEquals(new double[] {300, 600, 99}, ceilings, EPS);
    }

    @Test
    void badArgumentsAreRefusedNamingThem() {
        double[] one = {1};
        assertEquals("capacity", assertThrows(InvalidSpecException.class,
                () -> WaterFill.fill(Double.NaN, one, one, one, 1, new double[1])).field());
        assertEquals("floors[0]", assertThrows(InvalidSpecException.class,
                () -> WaterFill.fill(1, new double[] {-1}, one, one, 1, new double[1])).field());
        assertEquals("ceilings[0]", assertThrows(InvalidSpecException.class,
                () -> WaterFill.fill(1, new double[] {2}, one, one, 1, new double[1])).field());
        assertEquals("weights[0]", assertThrows(InvalidSpecException.class,
                () -> WaterFill.fill(1, one, one, new double[] {0}, 1, new double[1])).field());
    }

    @Test
    void manyClaimantsAreDividedMaxMinFairly() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            int n = 1 + random.nextInt(400);
            double[] floors = new double[n];
            double[] ceilings = new double[n];
            double[] weights = new double[n];
            for (int i = 0; i < n; i++) {
                floors[i] = random.nextInt(4) == 0 ? random.nextInt(3000) : 0;
                ceilings[i] = floors[i] + (random.nextInt(5) == 0 ? 0 : random.nextDouble() * 6000);
                weights[i] = 1 + random.nextInt(round % 2 == 0 ? 4 : 1_000_000);
            }
            double capacity = random.nextDouble() * 1500 * n;
            double[] out = new double[n];
            WaterFill.fill(capacity, floors, ceilings, weights, n, out);
            assertMaxMinFair(capacity, floors, ceilings, weights, out);
            assertArrayEquals(reference(capacity, floors, ceilings, weights), out, 1e-6 * Math.max(1, capacity));
        }
    }

    /** The total is conserved, bounds hold, and free claimants share one level. */
    private static void assertMaxMinFair(double capacity, double[] floors, double[] ceilings, double[] weights,
            double[] out) {
        int n = out.length;
        double sumFloors = 0;
        double sumCeilings = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sumFloors += floors[i];
            sumCeilings += ceilings[i];
            sum += out[i];
        }
        double tolerance = 1e-9 * Math.max(1, capacity);
        assertEquals(sumFloors > capacity ? capacity : Math.min(capacity, sumCeilings), sum, tolerance * n);
        if (sumFloors > capacity) {
            return;
        }
        double levelAtLeast = 0; // free claimants and those held by their ceilings are at or below the level
        double levelAtMost = Double.POSITIVE_INFINITY; // free ones and those held by their floors at or above it
        for (int i = 0; i < n; i++) {
            assertTrue(out[i] >= floors[i] - tolerance && out[i] <= ceilings[i] + tolerance, "bounds of " + i);
            double ratio = out[i] / weights[i];
            boolean atFloor = out[i] <= floors[i] + tolerance;
            boolean atCeiling = out[i] >= ceilings[i] - tolerance;
            if (!atFloor) {
                levelAtLeast = Math.max(levelAtLeast, ratio);
            }
            if (!atCeiling) {
                levelAtMost = Math.min(levelAtMost, ratio);
            }
        }
        assertTrue(levelAtLeast <= levelAtMost * (1 + 1e-6) + 1e-12,
                "one water level: " + levelAtLeast + " > " + levelAtMost);
    }

    /** The same division by bisection on the level: slow, obviously right. */
    private static double[] reference(double capacity, double[] floors, double[] ceilings, double[] weights) {
        int n = floors.length;
        double sumFloors = 0;
        double sumCeilings = 0;
        for (int i = 0; i < n; i++) {
            sumFloors += floors[i];
            sumCeilings += ceilings[i];
        }
        double[] out = new double[n];
        if (sumFloors >= capacity) {
            for (int i = 0; i < n; i++) {
                out[i] = sumFloors == 0 ? 0 : floors[i] * capacity / sumFloors;
            }
            return out;
        }
        if (sumCeilings <= capacity) {
            return ceilings.clone();
        }
        double lo = 0;
        double hi = 1;
        while (total(hi, floors, ceilings, weights) < capacity) {
            hi *= 2;
        }
        for (int step = 0; step < 200; step++) {
            double mid = (lo + hi) / 2;
            if (total(mid, floors, ceilings, weights) < capacity) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        for (int i = 0; i < n; i++) {
            out[i] = Math.min(ceilings[i], Math.max(floors[i], hi * weights[i]));
        }
        return out;
    }

    private static double total(double level, double[] floors, double[] ceilings, double[] weights) {
        double sum = 0;
        for (int i = 0; i < floors.length; i++) {
            sum += Math.min(ceilings[i], Math.max(floors[i], level * weights[i]));
        }
        return sum;
    }
}
