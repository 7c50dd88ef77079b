package org.vireo.memory.reclaim;

import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.LongToDoubleFunction;

/**
 * Divides an amount of pages among claimants so that the result equals handing out one page at
 * a time, each to the claimant whose cost is lowest at that moment (ties: the earlier one in the
 * list), without doing it page by page. Each claimant's cost must not decrease as it receives
 * pages.
 * <p>
 * The water level λ is found by bisection: at a level, a claimant takes every page whose cost
 * (the cost before taking it) is at most λ. The highest level at which the total is still below
 * the amount fixes most pages; the few left over (pages whose cost lies exactly at the final
 * level) are handed out one by one in cost order.
 */
final class WaterFill {
    /** Bisection steps; the search stops earlier when the bounds are adjacent doubles. */
    private static final int MAX_STEPS = 256;

    /**
     * One claimant.
     *
     * @param cap the most pages it can receive
     * @param cost the cost of its next page when it has received the given number of pages
     */
    record Claim(long cap, LongToDoubleFunction cost) {
    }

    private WaterFill() {
    }

    /**
     * @param claims the claimants, in tie-break order
     * @param amount the pages to divide
     * @return the pages each claimant receives, by index; they add up to
     *         min(amount, sum of caps)
     */
    static long[] divide(List<Claim> claims, long amount) {
        int n = claims.size();
        long[] result = new long[n];
        long capacity = 0;
        for (Claim c : claims) {
            capacity += Math.max(0, c.cap());
        }
        if (amount <= 0 || capacity == 0) {
            return result;
        }
        if (amount >= capacity) {
            for (int i = 0; i < n; i++) {
                result[i] = Math.max(0, claims.get(i).cap());
            }
            return result;
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Claim c : claims) {
            if (c.cap() > 0) {
                lo = Math.min(lo, c.cost().applyAsDouble(0));
                hi = Math.max(hi, c.cost().applyAsDouble(c.cap() - 1));
            }
        }
        lo = Math.nextDown(lo); // no page costs this little: total 0 < amount
        // at hi every page is taken: total = capacity > amount
        for (int step = 0; step < MAX_STEPS; step++) {
            double mid = lo + (hi - lo) / 2;
            if (!(mid > lo && mid < hi)) {
                break;
            }
            if (total(claims, mid) < amount) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        long given = 0;
        for (int i = 0; i < n; i++) {
            result[i] = takenAt(claims.get(i), lo);
            given += result[i];
        }
        handOutRest(claims, result, amount - given);
        return result;
    }

    private static void handOutRest(List<Claim> claims, long[] result, long rest) {
        Comparator<Integer> byCost = Comparator
                .comparingDouble((Integer i) -> claims.get(i).cost().applyAsDouble(result[i]))
                .thenComparingInt(i -> i);
        PriorityQueue<Integer> queue = new PriorityQueue<>(byCost);
        for (int i = 0; i < claims.size(); i++) {
            if (result[i] < claims.get(i).cap()) {
                queue.add(i);
            }
        }
        while (rest > 0) {
            int i = queue.remove();
            result[i]++;
            rest--;
            if (result[i] < claims.get(i).cap()) {
                queue.add(i);
            }
        }
    }

    private static long total(List<Claim> claims, double level) {
        long sum = 0;
        for (Claim c : claims) {
            sum += takenAt(c, level);
        }
        return sum;
    }

    /** The pages whose cost is at most {@code level}: the smallest x with cost(x) > level. */
    private static long takenAt(Claim c, double level) {
        long low = 0;
        long high = Math.max(0, c.cap());
        while (low < high) {
            long mid = low + (high - low) / 2;
            if (c.cost().applyAsDouble(mid) <= level) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }
}
