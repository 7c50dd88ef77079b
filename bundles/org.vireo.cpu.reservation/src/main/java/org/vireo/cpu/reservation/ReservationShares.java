package org.vireo.cpu.reservation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.vireo.api.cpu.Admission;
import org.vireo.api.cpu.CpuAllocation;
import org.vireo.api.cpu.CpuDemand;
import org.vireo.api.cpu.CpuEntitlement;
import org.vireo.api.cpu.CpuSnapshot;
import org.vireo.api.model.CpuQos;
import org.vireo.api.model.VmSpec;
import org.vireo.cgroups.fill.WaterFill;

/**
 * Reservation, limit and shares: the decision behind {@link ReservationSharesPolicy}.
 * <p>
 * Per host and interval each VM has a ceiling, {@code min(limit, demand, vCPUs × core MHz)},
 * and a floor, {@code min(reservation, ceiling)}. The host's capacity is divided by weighted
 * max-min water-filling ({@link WaterFill}) with the shares as weights: every VM receives
 * {@code clamp(λ × shares, floor, ceiling)} for the one level λ that uses up the capacity, or
 * its ceiling when all ceilings fit. So a reservation is a floor, not a bonus on top of the
 * VM's shares; what remains after the floors goes by shares; what a VM does not want (its
 * ceiling) goes to the others. Should the floors ever exceed the capacity (admission control
 * prevents it, but capacity can shrink), they are scaled down proportionally, nobody else gets
 * anything, and a warning says so.
 * <p>
 * Admission: a VM's reservation must fit both its own vCPUs ({@code vCPUs × core MHz}) and the
 * host's unreserved capacity ({@code capacity - Σ reservations of the VMs on the host}).
 * <p>
 * Pure functions of their arguments, no state.
 */
final class ReservationShares {
    private ReservationShares() {
    }

    /**
     * @param host the host and its runnable VMs
     * @return one entitlement per VM in the snapshot's order: entitled MHz, the limit as cap
     *         (infinite when none), the shares as weight
     */
    static CpuAllocation allocate(CpuSnapshot host) {
        List<CpuDemand> vms = host.vms();
        int n = vms.size();
        double capacity = positive(host.capacityMhz());
        double coreMhz = positive(host.coreMhz());
        double[] floors = new double[n];
        double[] ceilings = new double[n];
        double[] weights = new double[n];
        double sumFloors = 0;
        List<String> warnings = null;
        for (int i = 0; i < n; i++) {
            CpuDemand vm = vms.get(i);
            CpuQos qos = vm.qos();
            double usable = vm.vcpus() * coreMhz;
            ceilings[i] = Math.min(qos.limitOrInfinity(), Math.min(positive(vm.demandMhz()), usable));
            floors[i] = Math.min(qos.reservationMhz(), ceilings[i]);
            weights[i] = qos.shares();
            sumFloors += floors[i];
            if (qos.reservationMhz() > usable) {
                warnings = add(warnings, vm.vm() + ": reservation of " + qos.reservationMhz() + " MHz is more than its "
                        + vcpus(vm.vcpus()) + " can use on host " + host.host() + " (" + mhz(usable)
                        + " MHz); at most " + mhz(usable) + " MHz is guaranteed");
            }
        }
        if (sumFloors > capacity) {
            warnings = add(warnings, "host " + host.host() + ": the reservations in use (" + mhz(sumFloors)
                    + " MHz) exceed its capacity of " + mhz(capacity) + " MHz; each reserved VM receives "
                    + String.format(Locale.ROOT, "%.1f", 100 * capacity / sumFloors) + "% of its reservation");
        }
        WaterFill.fill(capacity, floors, ceilings, weights, n, floors);
        CpuEntitlement[] entitlements = new CpuEntitlement[n];
        for (int i = 0; i < n; i++) {
            CpuDemand vm = vms.get(i);
            entitlements[i] = new CpuEntitlement(vm.vm(), floors[i], vm.qos().limitOrInfinity(), vm.qos().shares());
        }
        return new CpuAllocation(Arrays.asList(entitlements), warnings == null ? List.of() : warnings);
    }

    /**
     * @param host the host and the VMs holding resources on it; an entry named like the
     *        candidate is its old setting (a resize) and is left out of the sum
     * @param candidate the VM to start or resize
     * @return granted when the reservation is 0 or fits; otherwise refused with the numbers
     */
    static Admission admit(CpuSnapshot host, VmSpec candidate) {
        long wanted = candidate.cpu().reservationMhz();
        if (wanted == 0) {
            return Admission.granted();
        }
        double usable = candidate.vcpus() * positive(host.coreMhz());
        if (wanted > usable) {
            return Admission.refused(candidate.name() + " reserves " + wanted + " MHz but its " + vcpus(candidate.vcpus())
                    + " can use at most " + mhz(usable) + " MHz on host " + host.host() + " ("
                    + mhz(positive(host.coreMhz())) + " MHz per core)");
        }
        long reserved = 0;
        StringBuilder holders = new StringBuilder();
        for (CpuDemand vm : host.vms()) {
            long r = vm.qos().reservationMhz();
            if (r > 0 && !vm.vm().equals(candidate.name())) {
                reserved += r;
                holders.append(holders.length() == 0 ? "" : ", ").append(vm.vm()).append(' ').append(r);
            }
        }
        double capacity = positive(host.capacityMhz());
        if (reserved + wanted > capacity + 1e-9) {
            return Admission.refused(candidate.name() + " reserves " + wanted + " MHz but host " + host.host() + " has "
                    + mhz(Math.max(0, capacity - reserved)) + " MHz unreserved of " + mhz(capacity)
                    + " MHz (reserved: " + (holders.length() == 0 ? "none" : holders) + ")");
        }
        return Admission.granted();
    }

    private static double positive(double value) {
        return value > 0 ? value : 0;
    }

    private static List<String> add(List<String> warnings, String warning) {
        List<String> list = warnings == null ? new ArrayList<>(2) : warnings;
        list.add(warning);
        return list;
    }

    private static String vcpus(int vcpus) {
        return vcpus + (vcpus == 1 ? " vCPU" : " vCPUs");
    }

    /** MHz for people: whole numbers without decimals, others with one. */
    static String mhz(double value) {
        double tenths = Math.round(value * 10) / 10.0;
        return tenths == Math.rint(tenths) ? Long.toString((long) tenths) : String.format(Locale.ROOT, "%.1f", tenths);
    }
}
