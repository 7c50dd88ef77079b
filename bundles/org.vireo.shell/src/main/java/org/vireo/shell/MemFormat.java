package org.vireo.shell;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vireo.api.inventory.MemoryReport;
import org.vireo.api.inventory.OvercommitSettings;
import org.vireo.api.inventory.VmMemoryQos;
import org.vireo.api.inventory.VmView;
import org.vireo.api.model.MemoryQos;
import org.vireo.api.model.Units;

/**
 * How a host's memory is shown: a table for people, a JSON document for scripts. Figures are in
 * MiB.
 * <p>
 * JSON contract of {@code mem:show --json}: an object with {@code host}, {@code policy} (the
 * active reclaim policy's name, empty when none is installed), {@code state} ({@code HIGH},
 * {@code SOFT}, {@code HARD} or {@code LOW}), {@code totalMiB}, {@code hypervisorMiB},
 * {@code freeMiB}, {@code sharedSavedMiB}, {@code overcommitLimitMiB}, {@code cluster} (the host's),
 * {@code overcommitRatio} (the ratio the limit comes from), {@code overcommitSource}
 * ({@code cluster} when it is the cluster's own, {@code global} otherwise), {@code configuredMiB}
 * (the configured memory of the VMs holding memory) and {@code vms} (one object per VM holding
 * memory: {@code vm}, {@code configuredMiB}, {@code reservedMiB}, {@code shares},
 * {@code residentMiB}, {@code sharedMiB}, {@code balloonedMiB}, {@code swappedMiB},
 * {@code activeMiB}).
 */
final class MemFormat {
    private MemFormat() {
    }

    /**
     * @param report a host's memory
     * @param cluster the host's cluster
     * @param ratios the overcommit ratios admission uses
     * @return the {@code mem:show} page: a summary, then one row per VM
     */
    static String table(MemoryReport report, String cluster, OvercommitSettings ratios) {
        StringBuilder sb = new StringBuilder();
        sb.append("host ").append(report.host()).append(": memory state ").append(report.state())
                .append(" (reclaim policy ").append(report.policy().isEmpty() ? "none" : report.policy()).append(')')
                .append("\n  total ").append(Units.formatMiB(report.totalMiB()))
                .append(", hypervisor ").append(Units.formatMiB(report.hypervisorMiB()))
                .append(", free ").append(Units.formatMiB(report.freeMiB()))
                .append(", saved by sharing ").append(Units.formatMiB(report.sharedSavedMiB()))
                .append("\n  configured ").append(Units.formatMiB(configured(report)))
                .append(" of ").append(Units.formatMiB(report.overcommitLimitMiB())).append(" allowed by overcommit ratio ")
                .append(OvercommitFormat.applied(ratios, cluster));
        if (report.vms().isEmpty()) {
            sb.append("\nno VMs hold memory on this host");
            return sb.toString();
        }
        TextTable t = new TextTable("VM", "CONFIGURED", "RESERVED", "SHARES", "RESIDENT", "SHARED", "BALLOONED", "SWAPPED",
                "ACTIVE").alignRight("CONFIGURED", "RESERVED", "RESIDENT", "SHARED", "BALLOONED", "SWAPPED", "ACTIVE");
        for (VmMemoryQos v : report.vms()) {
            t.row(v.vm(), Units.formatMiB(v.configuredMiB()), Units.formatMiB(v.reservedMiB()), v.shares(),
                    Units.formatMiB(v.residentMiB()), Units.formatMiB(v.sharedMiB()), Units.formatMiB(v.balloonedMiB()),
                    Units.formatMiB(v.swappedMiB()), Units.formatMiB(v.activeMiB()));
        }
        return sb.append('\n').append(t.render()).toString();
    }

    /**
     * @param report a host's memory
     * @param cluster the host's cluster
     * @param ratios the overcommit ratios admission uses
     * @return the {@code mem:show --json} document
     */
    static String json(MemoryReport report, String cluster, OvercommitSettings ratios) {
        ObjectNode o = Json.object();
        o.put("host", report.host());
        o.put("policy", report.policy());
        o.put("state", report.state().name());
        o.put("totalMiB", report.totalMiB());
        o.put("hypervisorMiB", report.hypervisorMiB());
        o.put("freeMiB", report.freeMiB());
        o.put("sharedSavedMiB", report.sharedSavedMiB());
        o.put("overcommitLimitMiB", report.overcommitLimitMiB());
        o.put("cluster", cluster);
        o.put("overcommitRatio", ratios.ratioFor(cluster));
        o.put("overcommitSource", OvercommitFormat.source(ratios, cluster));
        o.put("configuredMiB", configured(report));
        ArrayNode vms = o.putArray("vms");
        for (VmMemoryQos v : report.vms()) {
            ObjectNode n = vms.addObject();
            n.put("vm", v.vm());
            n.put("configuredMiB", v.configuredMiB());
            n.put("reservedMiB", v.reservedMiB());
            n.put("shares", v.shares());
            n.put("residentMiB", v.residentMiB());
            n.put("sharedMiB", v.sharedMiB());
            n.put("balloonedMiB", v.balloonedMiB());
            n.put("swappedMiB", v.swappedMiB());
            n.put("activeMiB", v.activeMiB());
        }
        return Json.pretty(o);
    }

    /**
     * @param vm a VM whose memory QoS was just set
     * @return one line for people, e.g. {@code vm1: memory reservation 512M, shares 1000 (RUNNING on h1)}
     */
    static String line(VmView vm) {
        MemoryQos q = vm.spec().memory();
        return vm.name() + ": memory reservation " + Units.formatMiB(q.reservationMiB()) + " of " + Units.formatMiB(vm.spec().memoryMiB())
                + ", shares " + q.shares() + " (" + vm.state() + " on " + vm.host() + ")";
    }

    private static long configured(MemoryReport report) {
        return report.vms().stream().mapToLong(VmMemoryQos::configuredMiB).sum();
    }
}
