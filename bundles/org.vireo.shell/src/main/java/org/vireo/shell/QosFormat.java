package org.vireo.shell;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.vireo.api.inventory.CpuQosReport;
import org.vireo.api.inventory.VmCpuQos;
import org.vireo.api.inventory.VmView;
import org.vireo.api.model.CpuQos;

/**
 * How a host's CPU QoS is shown: a table for people, a JSON document for scripts. Figures are
 * in MHz.
 * <p>
 * JSON contract of {@code qos:show --json}: an object with {@code host}, {@code policy} (the
 * active CPU policy's name, empty when none is installed), {@code capacityMhz} (CPU left to
 * guests), {@code reservedMhz}, {@code unreservedMhz}, the totals {@code demandMhz},
 * {@code entitlementMhz} and {@code usedMhz}, {@code vms} (one object per VM holding resources:
 * {@code vm}, {@code vcpus}, {@code limitMhz} (null when unlimited), {@code reservationMhz},
 * {@code shares}, {@code demandMhz}, {@code entitlementMhz}, {@code usedMhz}) and
 * {@code warnings} (settings the active policy does not honour, as text).
 */
final class QosFormat {
    private QosFormat() {
    }

    /**
     * @param report a host's CPU QoS
     * @return the {@code qos:show} page: a summary line, one row per VM, then one
     *         {@code warning: ...} line per warning
     */
    static String table(CpuQosReport report) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "host %s: CPU policy %s, capacity %d MHz, reserved %d MHz, used %d MHz",
                report.host(), report.policy().isEmpty() ? "none" : report.policy(), Math.round(report.capacityMhz()),
                report.reservedMhz(), Math.round(used(report))));
        if (report.vms().isEmpty()) {
            sb.append("\nno VMs hold resources on this host");
        } else {
            TextTable t = new TextTable("VM", "VCPUS", "LIMIT", "RESERVATION", "SHARES", "DEMAND", "ENTITLEMENT", "USED")
                    .alignRight("LIMIT");
            for (VmCpuQos v : report.vms()) {
                t.row(v.vm(), v.vcpus(), v.limitMhz() == null ? "unlimited" : v.limitMhz().toString(), v.reservationMhz(), v.shares(),
                        Math.round(v.demandMhz()), Math.round(v.entitlementMhz()), Math.round(v.usedMhz()));
            }
            sb.append('\n').append(t.render());
        }
        for (String w : report.warnings()) {
            sb.append("\nwarning: ").append(w);
        }
        return sb.toString();
    }

    /**
     * @param report a host's CPU QoS
     * @return the {@code qos:show --json} document
     */
    static String json(CpuQosReport report) {
        ObjectNode o = Json.object();
        o.put("host", report.host());
        o.put("policy", report.policy());
        o.put("capacityMhz", report.capacityMhz());
        o.put("reservedMhz", report.reservedMhz());
        o.put("unreservedMhz", Math.max(0, report.capacityMhz() - report.reservedMhz()));
        double demand = 0;
        double entitlement = 0;
        ArrayNode vms = Json.array();
        for (VmCpuQos v : report.vms()) {
            ObjectNode n = vms.addObject();
            n.put("vm", v.vm());
            n.put("vcpus", v.vcpus());
            n.put("limitMhz", v.limitMhz());
            n.put("reservationMhz", v.reservationMhz());
            n.put("shares", v.shares());
            n.put("demandMhz", v.demandMhz());
            n.put("entitlementMhz", v.entitlementMhz());
            n.put("usedMhz", v.usedMhz());
            demand += v.demandMhz();
            entitlement += v.entitlementMhz();
        }
        o.put("demandMhz", demand);
        o.put("entitlementMhz", entitlement);
        o.put("usedMhz", used(report));
        o.set("vms", vms);
        ArrayNode warnings = o.putArray("warnings");
        report.warnings().forEach(warnings::add);
        return Json.pretty(o);
    }

    /**
     * @param vm a VM whose CPU QoS was just set
     * @return one line for people, e.g. {@code vm1: CPU limit 2000 MHz, reservation 0 MHz, shares 1000 (RUNNING on h1,
     *         effective from the next interval)}
     */
    static String line(VmView vm) {
        CpuQos q = vm.spec().cpu();
        return vm.name() + ": CPU limit " + (q.isLimited() ? q.limitMhz() + " MHz" : "unlimited") + ", reservation "
                + q.reservationMhz() + " MHz, shares " + q.shares() + " (" + vm.state() + " on " + vm.host()
                + (vm.state().isActive() ? ", effective from the next interval)" : ")");
    }

    private static double used(CpuQosReport report) {
        return report.vms().stream().mapToDouble(VmCpuQos::usedMhz).sum();
    }
}
