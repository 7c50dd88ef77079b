package org.vireo.cgroups.fill;

import java.util.Arrays;
import org.vireo.api.model.InvalidSpecException;

/**
 * Weighted max-min division ("water-filling") of a capacity among claimants that each have a
 * floor, a ceiling and a weight.
 * <p>
 * The result is, for every claimant {@code i}, {@code clamp(λ × weight[i], floor[i], ceiling[i])}
 * for the single water level {@code λ} at which the results add up to the capacity: above their
 * floors, all claimants not held by their ceilings receive the same amount per unit of weight,
 * and what a claimant cannot use (its ceiling) goes to the others. Two cases have no such level:
 * <ul>
 * <li>the floors alone exceed the capacity: each claimant receives its floor scaled by
 * {@code capacity / Σ floor}, so the total is exactly the capacity;</li>
 * <li>the ceilings fit in the capacity: each claimant receives its ceiling and the rest stays
 * unused.</li>
 * </ul>
 * The level is found exactly rather than by iteration: the total is a piecewise linear,
 * non-decreasing function of {@code λ} whose bends are at {@code floor/weight} and
 * {@code ceiling/weight}; the bends are sorted, a binary search finds the segment that holds
 * the capacity, and one division solves it. Time O(n log n); the only allocation is one scratch
 * array of 2n doubles. No state: the class may be used from any number of threads.
 */
public final class WaterFill {
    private WaterFill() {
    }

    /**
     * Divides {@code capacity} among the first {@code n} claimants and writes each share into
     * {@code out}.
     *
     * @param capacity what there is to divide; at least 0 and finite
     * @param floors what each claimant receives at least (unless the floors exceed the
     *        capacity); at least 0 and finite
     * @param ceilings what each claimant receives at most; at least its floor, may be
     *        {@link Double#POSITIVE_INFINITY}
     * @param weights each claimant's weight above its floor; positive and finite
     * @param n the number of claimants (the arrays may be longer)
     * @param out receives each claimant's share; may be one of the input arrays
     * @return the total handed out: {@code min(capacity, Σ ceiling)}, or the capacity when the
     *         floors exceed it
     * @throws InvalidSpecException naming the first argument that breaks these rules
     */
    public static double fill(double capacity, double[] floors, double[] ceilings, double[] weights, int n,
            double[] out) {
        if (!(capacity >= 0) || capacity == Double.POSITIVE_INFINITY) {
            throw new InvalidSpecException("capacity", capacity, "a finite number of at least 0");
        }
        double sumFloors = 0;
        double sumCeilings = 0;
        for (int i = 0; i < n; i++) {
            double f = floors[i];
            double c = ceilings[i];
            double w = weights[i];
            if (!(f >= 0) || f == Double.POSITIVE_INFINITY) {
                throw new InvalidSpecException("floors[" + i + "]", f, "a finite number of at least 0");
            }
            if (!(c >= f)) {
                throw new InvalidSpecException("ceilings[" + i + "]", c, "a number of at least the floor " + f);
            }
            if (!(w > 0) || w == Double.POSITIVE_INFINITY) {
                throw new InvalidSpecException("weights[" + i + "]", w, "a finite number above 0");
            }
            sumFloors += f;
            sumCeilings += c;
        }
        if (sumFloors >= capacity) {
            double scale = sumFloors > 0 ? capacity / sumFloors : 0;
            for (int i = 0; i < n; i++) {
                out[i] = floors[i] * scale;
            }
            return capacity;
        }
        if (sumCeilings <= capacity) {
            System.arraycopy(ceilings, 0, out, 0, n);
            return sumCeilings;
        }
        double level = level(capacity, floors, ceilings, weights, n);
        double total = 0;
        for (int i = 0; i < n; i++) {
            out[i] = clamp(level * weights[i], floors[i], ceilings[i]);
            total += out[i];
        }
        return total;
    }

    /**
     * The water level when Σ floor &lt; capacity &lt; Σ ceiling. Index -1 stands for level 0
     * (total Σ floor) and index 2n for an infinite level (total Σ ceiling), so that rounding in
     * {@code floor / weight × weight} cannot break the search's invariant
     * {@code total(lo) ≤ capacity < total(hi)}.
     */
    private static double level(double capacity, double[] floors, double[] ceilings, double[] weights, int n) {
        double[] bends = new double[2 * n];
        for (int i = 0; i < n; i++) {
            bends[2 * i] = floors[i] / weights[i];
            bends[2 * i + 1] = ceilings[i] / weights[i];
        }
        Arrays.sort(bends);
        int lo = -1;
        int hi = 2 * n;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (total(bends[mid], floors, ceilings, weights, n) <= capacity) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double from = lo < 0 ? 0 : bends[lo];
        double to = hi == 2 * n ? Double.POSITIVE_INFINITY : bends[hi];
        // No bend lies strictly between from and to: a claimant grows on the whole segment
        // exactly when its own segment [floor/weight, ceiling/weight] covers it.
        double slope = 0;
        for (int i = 0; i < n; i++) {
            if (floors[i] / weights[i] <= from && ceilings[i] / weights[i] >= to) {
                slope += weights[i];
            }
        }
        double below = total(from, floors, ceilings, weights, n);
        return slope > 0 ? from + (capacity - below) / slope : from;
    }

    private static double total(double level, double[] floors, double[] ceilings, double[] weights, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += clamp(level * weights[i], floors[i], ceilings[i]);
        }
        return sum;
    }

    private static double clamp(double value, double floor, double ceiling) {
        return Math.min(ceiling, Math.max(floor, value));
    }
}
