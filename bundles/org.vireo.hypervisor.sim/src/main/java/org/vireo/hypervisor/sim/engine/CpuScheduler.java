package org.vireo.hypervisor.sim.engine;

/**
 * Divides a host's guest CPU capacity for one interval. Work-conserving: capacity that an
 * entitlement leaves unused goes to VMs that want more, in proportion to their weight, up to
 * their ceilings. Pure arithmetic over arrays the caller owns, so a host steps without
 * allocating.
 */
public final class CpuScheduler {
    private CpuScheduler() {
    }

    /**
     * The fallback when no CPU QoS policy is installed: capacity divided equally among runnable
     * vCPUs (weight = vCPUs), each VM capped by its demand and its ceiling.
     *
     * @param n VMs
     * @param capacity guest capacity, MHz
     * @param demand per VM, MHz
     * @param ceiling per VM, MHz (vCPUs × core MHz less overhead)
     * @param vcpus per VM
     * @param out per VM: MHz granted (entitlement and use)
     * @param scratch at least n
     * @param order scratch, at least n
     */
    public static void equalShare(int n, double capacity, double[] demand, double[] ceiling, double[] vcpus,
            double[] out, double[] scratch, int[] order) {
        for (int i = 0; i < n; i++) {
            scratch[i] = Math.max(0, Math.min(demand[i], ceiling[i]));
        }
        waterFill(n, capacity, scratch, vcpus, out, order);
    }

    /**
     * Enforces a policy's decision: each VM first gets {@code min(entitlement, cap, demand,
     * ceiling)} (scaled down together if they exceed capacity), then leftover capacity is
     * water-filled by weight up to {@code min(demand, cap, ceiling)}.
     *
     * @param n VMs
     * @param capacity guest capacity, MHz
     * @param demand per VM, MHz
     * @param ceiling per VM, MHz
     * @param entitled per VM, the policy's entitlement
     * @param capMhz per VM, the policy's hard cap
     * @param weight per VM, the policy's weight (at least 1)
     * @param used out: per VM, MHz used
     * @param scratch at least 2n
     * @param order scratch, at least n
     */
    public static void enforce(int n, double capacity, double[] demand, double[] ceiling, double[] entitled,
            double[] capMhz, double[] weight, double[] used, double[] scratch, int[] order) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            used[i] = Math.max(0, Math.min(Math.min(entitled[i], capMhz[i]), Math.min(demand[i], ceiling[i])));
            sum += used[i];
        }
        if (sum > capacity) {
            double f = sum <= 0 ? 0 : capacity / sum;
            for (int i = 0; i < n; i++) {
                used[i] *= f;
            }
            return;
        }
        double left = capacity - sum;
        boolean any = false;
        for (int i = 0; i < n; i++) {
            scratch[i] = Math.max(0, Math.min(Math.min(demand[i], ceiling[i]), capMhz[i]) - used[i]);
            any |= scratch[i] > 0;
        }
        if (!any || left <= 1e-9) {
            return;
        }
        waterFill(n, left, scratch, weight, scratch, order, n);
        for (int i = 0; i < n; i++) {
            used[i] += scratch[n + i];
        }
    }

    private static void waterFill(int n, double capacity, double[] cap, double[] weight, double[] out, int[] order,
            int outOffset) {
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // ascending cap per unit of weight (insertion sort: a host has few VMs)
        for (int i = 1; i < n; i++) {
            int o = order[i];
            double key = cap[o] / weight[o];
            int j = i - 1;
            while (j >= 0 && cap[order[j]] / weight[order[j]] > key) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = o;
        }
        double left = capacity;
        double weights = 0;
        for (int i = 0; i < n; i++) {
            weights += weight[i];
        }
        for (int k = 0; k < n; k++) {
            int i = order[k];
            double fair = weights <= 0 ? 0 : left * weight[i] / weights;
            double give = Math.min(cap[i], Math.max(0, fair));
            out[outOffset + i] = give;
            left -= give;
            weights -= weight[i];
        }
    }

    /**
     * Weighted max-min fair division: each VM gets {@code capacity × w / W} unless its cap is
     * lower, in which case it gets its cap and the rest is divided again among the others.
     *
     * @param n VMs
     * @param capacity what to divide
     * @param cap per VM, the most it takes
     * @param weight per VM, positive
     * @param out per VM, what it gets (may not be {@code cap})
     * @param order scratch, at least n
     */
    public static void waterFill(int n, double capacity, double[] cap, double[] weight, double[] out, int[] order) {
        waterFill(n, capacity, cap, weight, out, order, 0);
    }
}
