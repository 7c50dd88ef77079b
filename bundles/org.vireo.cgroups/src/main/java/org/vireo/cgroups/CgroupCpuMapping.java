package org.vireo.cgroups;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.vireo.api.cpu.CpuAllocation;
import org.vireo.api.cpu.CpuDemand;
import org.vireo.api.cpu.CpuEntitlement;
import org.vireo.api.cpu.CpuSnapshot;
import org.vireo.api.model.InvalidSpecException;
import org.vireo.cgroups.fill.WaterFill;

/**
 * Turns a CPU policy's decision for one host into the cgroup settings of each VM's cgroup.
 * <p>
 * The rules, per VM:
 * <ol>
 * <li><b>Ceilings.</b> A finite {@link CpuEntitlement#capMhz() cap} (a limit, a credit cap)
 * becomes a bandwidth quota: {@code quota = floor(cap / coreMhz × period)} µs per period,
 * summed over the VM's threads, at least {@value CgroupCpuSettings#MIN_QUOTA_US} µs (the
 * kernel's minimum; a cap below that fraction of a core is raised to it) and at most
 * {@value CgroupCpuSettings#MAX_QUOTA_US}. Rounding down keeps the VM at or below its cap. No
 * cap: quota {@value CgroupCpuSettings#NO_QUOTA} (v1) and "max" (v2).</li>
 * <li><b>Weights.</b> The {@link CpuEntitlement#weight() weights} of the host's VMs are
 * multiplied by one common factor so that they fit v1's {@code cpu.shares} range 2..262144:
 * by {@code 262144 / largest} when the largest is above 262144, otherwise by up to
 * {@code 2 / smallest} when the smallest is below 2; then each is rounded and bounded to the
 * range. Ratios are therefore kept whenever largest/smallest ≤ 131072. The v2
 * {@code cpu.weight} is derived from those shares with the conversion the container runtimes
 * use: {@code weight = 1 + ((shares - 2) × 9999) / 262142} (integer division), so shares 2 →
 * 1, 1024 → 39, 262144 → 10000.</li>
 * <li><b>Reservations, by capping the others.</b> Weights alone make the kernel divide the host
 * as a work-conserving weighted fair share. That share is predicted by weighted
 * water-filling over the host's capacity, each VM bounded by its cap, its vCPUs × core MHz and
 * its demand. While the prediction gives some VM less than its entitlement (a reserved VM
 * whose reservation lifts it above its weighted share), every VM the prediction gives
 * <em>more</em> than its entitlement is capped at its entitlement (its quota becomes
 * {@code min(cap, entitlement)}), and the prediction is made again with those caps. Each round
 * caps at least one more VM, so there are at most n rounds. VMs never predicted above their
 * entitlement stay uncapped, so capacity a VM leaves idle within an interval stays usable by
 * them; on a host without reservations in play no VM is capped by this rule. A VM capped at an
 * entitlement of 0 gets the minimum quota.</li>
 * </ol>
 * The enforcement that applies these settings writes them to each VM's cgroup once per
 * scheduling interval; the settings depend only on the snapshot and the allocation.
 *
 * @since 1.0
 */
public final class CgroupCpuMapping {
    /** Relative tolerance, as a fraction of the host capacity, below which a shortfall is noise. */
    private static final double TOLERANCE = 1e-6;

    private CgroupCpuMapping() {
    }

    /**
     * Maps with the default period of {@value CgroupCpuSettings#DEFAULT_PERIOD_US} µs.
     *
     * @param host the snapshot the policy decided on (capacity, core MHz, each VM's vCPUs,
     *        demand)
     * @param allocation the policy's decision: one entitlement per VM of the snapshot
     * @return one settings record per VM, in the snapshot's order
     * @throws InvalidSpecException when the allocation and the snapshot do not name the same VMs,
     *         when an entitlement is negative or has a weight below 1, or when the core MHz is
     *         not positive
     */
    public static List<CgroupCpuSettings> map(CpuSnapshot host, CpuAllocation allocation) {
        return map(host, allocation, CgroupCpuSettings.DEFAULT_PERIOD_US);
    }

    /**
     * @param host the snapshot the policy decided on
     * @param allocation the policy's decision: one entitlement per VM of the snapshot
     * @param periodUs the bandwidth period, {@value CgroupCpuSettings#MIN_PERIOD_US} to
     *        {@value CgroupCpuSettings#MAX_PERIOD_US} µs
     * @return one settings record per VM, in the snapshot's order
     * @throws InvalidSpecException as {@link #map(CpuSnapshot, CpuAllocation)}, or for a period
     *         out of range
     */
    public static List<CgroupCpuSettings> map(CpuSnapshot host, CpuAllocation allocation, long periodUs) {
        if (periodUs < CgroupCpuSettings.MIN_PERIOD_US || periodUs > CgroupCpuSettings.MAX_PERIOD_US) {
            throw new InvalidSpecException("periodUs", periodUs, "an integer from "
                    + CgroupCpuSettings.MIN_PERIOD_US + " to " + CgroupCpuSettings.MAX_PERIOD_US);
        }
        double coreMhz = host.coreMhz();
        if (!(coreMhz > 0) || coreMhz == Double.POSITIVE_INFINITY) {
            throw new InvalidSpecException("coreMhz", coreMhz, "a finite number above 0");
        }
        double capacity = host.capacityMhz() > 0 ? host.capacityMhz() : 0;
        List<CpuDemand> vms = host.vms();
        CpuEntitlement[] byVm = matchEntitlements(host, allocation);
        int n = vms.size();

        double[] caps = new double[n];
        double[] entitled = new double[n];
        double[] targets = new double[n];
        double[] weights = new double[n];
        double[] bounds = new double[n];
        for (int i = 0; i < n; i++) {
            CpuDemand vm = vms.get(i);
            CpuEntitlement e = byVm[i];
            caps[i] = e.capMhz();
            weights[i] = e.weight();
            double demand = vm.demandMhz() > 0 ? vm.demandMhz() : 0;
            bounds[i] = Math.min(vm.vcpus() * coreMhz, demand);
            entitled[i] = e.entitledMhz();
            // an entitlement the VM cannot use is not a shortfall the caps could repair
            targets[i] = Math.min(e.entitledMhz(), Math.min(caps[i], bounds[i]));
        }
        long[] shares = shares(byVm);
        for (int i = 0; i < n; i++) {
            weights[i] = shares[i]; // the kernel divides by the shares actually written
        }
        capOthersForShortfalls(capacity, caps, entitled, targets, weights, bounds, n);

        List<CgroupCpuSettings> result = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long quota = caps[i] == Double.POSITIVE_INFINITY ? CgroupCpuSettings.NO_QUOTA
                    : quotaUs(caps[i], coreMhz, periodUs);
            result.add(new CgroupCpuSettings(vms.get(i).vm(), periodUs, quota, shares[i], sharesToWeight(shares[i])));
        }
        return result;
    }

    /**
     * The quota that keeps a cgroup at or below {@code capMhz}.
     *
     * @param capMhz the ceiling in MHz, at least 0
     * @param coreMhz one core's frequency, above 0
     * @param periodUs the period in µs
     * @return {@code floor(capMhz / coreMhz × periodUs)}, bounded to
     *         {@value CgroupCpuSettings#MIN_QUOTA_US}..{@value CgroupCpuSettings#MAX_QUOTA_US}
     */
    public static long quotaUs(double capMhz, double coreMhz, long periodUs) {
        double quota = Math.floor(capMhz / coreMhz * periodUs);
        if (!(quota >= CgroupCpuSettings.MIN_QUOTA_US)) {
            return CgroupCpuSettings.MIN_QUOTA_US;
        }
        return quota >= CgroupCpuSettings.MAX_QUOTA_US ? CgroupCpuSettings.MAX_QUOTA_US : (long) quota;
    }

    /**
     * The v2 {@code cpu.weight} for v1 {@code cpu.shares}:
     * {@code 1 + ((shares - 2) × 9999) / 262142}, integer division.
     *
     * @param shares v1 shares, {@value CgroupCpuSettings#MIN_SHARES} to
     *        {@value CgroupCpuSettings#MAX_SHARES}
     * @return the v2 weight, {@value CgroupCpuSettings#MIN_WEIGHT} to
     *         {@value CgroupCpuSettings#MAX_WEIGHT}
     * @throws InvalidSpecException for shares out of range
     */
    public static long sharesToWeight(long shares) {
        if (shares < CgroupCpuSettings.MIN_SHARES || shares > CgroupCpuSettings.MAX_SHARES) {
            throw new InvalidSpecException("shares", shares, "an integer from " + CgroupCpuSettings.MIN_SHARES
                    + " to " + CgroupCpuSettings.MAX_SHARES);
        }
        return 1 + ((shares - 2) * 9999) / 262_142;
    }

    /** The entitlement of each VM of the snapshot, by the snapshot's index. */
    private static CpuEntitlement[] matchEntitlements(CpuSnapshot host, CpuAllocation allocation) {
        List<CpuDemand> vms = host.vms();
        Map<String, Integer> index = new HashMap<>(vms.size() * 2);
        for (int i = 0; i < vms.size(); i++) {
            index.put(vms.get(i).vm(), i);
        }
        CpuEntitlement[] byVm = new CpuEntitlement[vms.size()];
        for (CpuEntitlement e : allocation.entitlements()) {
            Integer i = index.get(e.vm());
            if (i == null) {
                throw new InvalidSpecException("allocation.entitlements", e.vm(),
                        "only VMs of host " + host.host() + "'s snapshot " + index.keySet());
            }
            if (byVm[i] != null) {
                throw new InvalidSpecException("allocation.entitlements", e.vm(), "one entitlement per VM");
            }
            if (!(e.entitledMhz() >= 0) || e.entitledMhz() == Double.POSITIVE_INFINITY) {
                throw new InvalidSpecException("allocation.entitlements[" + e.vm() + "].entitledMhz",
                        e.entitledMhz(), "a finite number of at least 0");
            }
            if (!(e.capMhz() >= 0)) {
                throw new InvalidSpecException("allocation.entitlements[" + e.vm() + "].capMhz", e.capMhz(),
                        "a number of at least 0, or infinity for none");
            }
            if (e.weight() < 1) {
                throw new InvalidSpecException("allocation.entitlements[" + e.vm() + "].weight", e.weight(),
                        "an integer of at least 1");
            }
            byVm[i] = e;
        }
        for (int i = 0; i < byVm.length; i++) {
            if (byVm[i] == null) {
                throw new InvalidSpecException("allocation.entitlements", vms.get(i).vm(),
                        "an entitlement for every VM of host " + host.host() + " (this one has none)");
            }
        }
        return byVm;
    }

    /** The weights scaled by one factor into 2..262144, see the class description. */
    static long[] shares(CpuEntitlement[] entitlements) {
        int n = entitlements.length;
        long[] shares = new long[n];
        if (n == 0) {
            return shares;
        }
        long largest = Long.MIN_VALUE;
        long smallest = Long.MAX_VALUE;
        for (CpuEntitlement e : entitlements) {
            largest = Math.max(largest, e.weight());
            smallest = Math.min(smallest, e.weight());
        }
        double factor = 1;
        if (largest > CgroupCpuSettings.MAX_SHARES) {
            factor = (double) CgroupCpuSettings.MAX_SHARES / largest;
        } else if (smallest < CgroupCpuSettings.MIN_SHARES) {
            factor = Math.min((double) CgroupCpuSettings.MIN_SHARES / smallest,
                    (double) CgroupCpuSettings.MAX_SHARES / largest);
        }
        for (int i = 0; i < n; i++) {
            long scaled = Math.round(entitlements[i].weight() * factor);
            shares[i] = Math.max(CgroupCpuSettings.MIN_SHARES, Math.min(CgroupCpuSettings.MAX_SHARES, scaled));
        }
        return shares;
    }

    /**
     * Rule 3 of the class description: lowers {@code caps} of the VMs that weights alone would
     * let take more than their target while another VM gets less.
     */
    private static void capOthersForShortfalls(double capacity, double[] caps, double[] entitled, double[] targets,
            double[] weights, double[] bounds, int n) {
        double tolerance = TOLERANCE * Math.max(1, capacity);
        double[] zeros = new double[n];
        double[] ceilings = new double[n];
        double[] predicted = new double[n];
        for (int round = 0; round < n; round++) {
            for (int i = 0; i < n; i++) {
                ceilings[i] = Math.min(caps[i], bounds[i]);
            }
            WaterFill.fill(capacity, zeros, ceilings, weights, n, predicted);
            boolean shortfall = false;
            for (int i = 0; i < n && !shortfall; i++) {
                shortfall = predicted[i] < targets[i] - tolerance;
            }
            if (!shortfall) {
                return;
            }
            boolean capped = false;
            for (int i = 0; i < n; i++) {
                if (predicted[i] > targets[i] + tolerance) {
                    caps[i] = Math.min(caps[i], entitled[i]);
                    capped = true;
                }
            }
            if (!capped) {
                return;
            }
        }
    }
}
