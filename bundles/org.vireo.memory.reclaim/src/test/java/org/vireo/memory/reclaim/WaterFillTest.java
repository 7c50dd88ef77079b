package org.vireo.memory.reclaim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WaterFillTest {

    /** Hands out one page at a time to the cheapest claimant, earlier one on ties. */
    private static long[] greedy(List<WaterFill.Claim> claims, long amount) {
        long[] got = new long[claims.size()];
        for (long p = 0; p < amount; p++) {
            int best = -1;
            double bestCost = 0;
            for (int i = 0; i < claims.size(); i++) {
                if (got[i] < claims.get(i).cap()) {
                    double c = claims.get(i).cost().applyAsDouble(got[i]);
                    if (best < 0 || c < bestCost) {
                        best = i;
                        bestCost = c;
                    }
                }
            }
            if (best < 0) {
                break;
            }
            got[best]++;
        }
        return got;
    }

    private static WaterFill.Claim rhoClaim(int shares, long resident, long active, double k, long cap) {
        return new WaterFill.Claim(cap, x -> {
            long r = resident - x;
            double a = Math.min(active, r);
            return shares / (a + k * (r - a));
        });
    }

    @Test
    void theResultIsThatOfHandingOutPageByPage() {
        Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            int n = 1 + random.nextInt(6);
            List<WaterFill.Claim> claims = new ArrayList<>();
            long capacity = 0;
            for (int i = 0; i < n; i++) {
                long resident = 1 + random.nextInt(400);
                long cap = random.nextInt((int) resident + 1);
                claims.add(rhoClaim(1 + random.nextInt(3000), resident, random.nextInt((int) resident + 1),
                        1 + 9 * random.nextDouble(), cap));
                capacity += cap;
            }
            long amount = random.nextInt((int) capacity + 20);
            assertArrayEquals(greedy(claims, amount), WaterFill.divide(claims, amount),
                    "round " + round + ", amount " + amount);
        }
    }

    @Test
    void identicalClaimantsSplitEvenlyEarlierOnesTakingTheOddPage() {
        List<WaterFill.Claim> claims = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            claims.add(rhoClaim(1000, 100_000, 10_000, 4.0, 100_000));
        }
        long[] got = WaterFill.divide(claims, 10_000);
        assertArrayEquals(new long[] {3334, 3333, 3333}, got);
        assertArrayEquals(greedy(claims, 10_000), got);
    }

    @Test
    void theTotalIsTheAmountBoundedByTheCaps() {
        List<WaterFill.Claim> claims = List.of(rhoClaim(10, 1_000_000, 0, 4.0, 700_000),
                rhoClaim(5000, 2_000_000, 1_500_000, 4.0, 900_000), rhoClaim(1, 50, 0, 4.0, 0));
        assertEquals(1_234_567, Arrays.stream(WaterFill.divide(claims, 1_234_567)).sum());
        assertArrayEquals(new long[] {700_000, 900_000, 0}, WaterFill.divide(claims, 5_000_000));
        assertArrayEquals(new long[] {0, 0, 0}, WaterFill.divide(claims, 0));
        assertArrayEquals(new long[0], WaterFill.divide(List.of(), 10));
    }
}
