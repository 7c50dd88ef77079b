package org.vireo.shell;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vireo.api.hypervisor.HostSnapshot;
import org.vireo.api.hypervisor.MemoryFigures;
import org.vireo.api.hypervisor.TypeProfile;
import org.vireo.api.hypervisor.VmSnapshot;
import org.vireo.api.inventory.HostView;
import org.vireo.api.model.DatastoreSpec;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.Units;

/**
 * How hosts are shown: tables and detail pages for people, JSON documents for scripts.
 * <p>
 * JSON contract. {@code host:list --json} is an array of {@link #summary} objects:
 * {@code name}, {@code type}, {@code hypervisor}, {@code cluster}, {@code cpuModel},
 * {@code cores}, {@code mhzPerCore}, {@code capacityMhz}, {@code memoryMiB}, {@code attached},
 * {@code vms} (names of the VMs placed on it), {@code usedMhz} and {@code freeMiB} (null while
 * detached), {@code problem}. {@code host:info --json} is a {@link #detail} object: every summary
 * field plus {@code nicMbps}, {@code datastores}, {@code profile} (the type's overheads, null while
 * its type bundle is absent) and {@code live} (null while detached: {@code clockMillis},
 * {@code usedMhz}, {@code capacityMhz}, {@code freeMiB}, {@code sharedSavedMiB}, {@code detail}
 * and {@code vms}, one object per VM holding resources, privileged domains included).
 */
final class HostFormat {
    /** The content classes of guest memory, in the order the VM table shows them. */
    private static final List<String> CONTENT = List.of("zero", "image", "compressible", "random");

    private HostFormat() {
    }

    /**
     * @param host a host
     * @return one line for people, e.g. {@code h1: hybrid, 8 x 2400 MHz, 16G, hypervisor sim, attached}
     */
    static String line(HostView host) {
        HostSpec s = host.spec();
        return s.name() + ": " + s.type().id() + ", " + s.cores() + " x " + s.mhzPerCore() + " MHz, "
                + Units.formatMiB(s.memoryMiB()) + ", hypervisor " + s.hypervisor() + ", " + status(host);
    }

    /**
     * @param host a host
     * @return the fields of one {@code host:list --json} entry
     */
    static ObjectNode summary(HostView host) {
        HostSpec s = host.spec();
        HostSnapshot live = host.live();
        ObjectNode o = Json.object();
        o.put("name", s.name());
        o.put("type", s.type().id());
        o.put("hypervisor", s.hypervisor());
        o.put("cluster", s.cluster());
        o.put("cpuModel", s.cpuModel().name());
        o.put("cores", s.cores());
        o.put("mhzPerCore", s.mhzPerCore());
        o.put("capacityMhz", s.capacityMhz());
        o.put("memoryMiB", s.memoryMiB());
        o.put("attached", host.attached());
        ArrayNode vms = o.putArray("vms");
        host.vms().forEach(vms::add);
        o.put("usedMhz", live == null ? null : live.usedMhz());
        o.put("freeMiB", live == null ? null : MemoryFigures.toMiB(live.freePages()));
        o.put("problem", host.problem());
        return o;
    }

    /**
     * @param host a host
     * @return the {@code host:info --json} document
     */
    static ObjectNode detail(HostView host) {
        HostSpec s = host.spec();
        ObjectNode o = summary(host);
        o.put("nicMbps", s.nicMbps());
        ArrayNode ds = o.putArray("datastores");
        for (DatastoreSpec d : s.datastores()) {
            ObjectNode n = ds.addObject();
            n.put("name", d.name());
            n.put("capacityGiB", d.capacityGiB());
            n.put("latencyMicros", d.latencyMicros());
            n.put("shared", d.shared());
        }
        TypeProfile p = host.profile();
        if (p == null) {
            o.putNull("profile");
        } else {
            ObjectNode n = o.putObject("profile");
            n.put("kind", p.kind().id());
            n.put("description", p.description());
            n.put("cpuOverheadPercent", p.cpuOverheadPercent());
            n.put("reservedCpuMhz", p.reservedCpuMhz());
            n.put("reservedMemoryMiB", p.reservedMemoryMiB());
            n.put("privilegedDomain", p.privilegedDomain());
            n.put("ioPath", p.ioPath());
            n.put("perVmMemoryOverheadMiB", p.perVmMemoryOverheadMiB());
            n.put("hardwareAssisted", p.hardwareAssisted());
        }
        HostSnapshot live = host.live();
        if (live == null) {
            o.putNull("live");
        } else {
            ObjectNode n = o.putObject("live");
            n.put("clockMillis", live.clockMillis());
            n.put("usedMhz", live.usedMhz());
            n.put("capacityMhz", s.capacityMhz());
            n.put("freeMiB", MemoryFigures.toMiB(live.freePages()));
            n.put("sharedSavedMiB", MemoryFigures.toMiB(live.sharedSavedPages()));
            n.put("detail", live.detail());
            ArrayNode vms = n.putArray("vms");
            for (VmSnapshot v : live.vms()) {
                ObjectNode vm = vms.addObject();
                vm.put("name", v.name());
                vm.put("state", v.state().name());
                vm.put("vcpus", v.spec().vcpus());
                vm.put("memoryMiB", v.spec().memoryMiB());
                vm.put("cpuDemandMhz", v.cpu().demandMhz());
                vm.put("cpuEntitledMhz", v.cpu().entitledMhz());
                vm.put("cpuUsedMhz", v.cpu().usedMhz());
                vm.put("residentMiB", MemoryFigures.toMiB(v.memory().residentPages()));
                vm.set("residentByContentMiB", Json.numbers(VmFormat.byContentMiB(v.memory())));
            }
        }
        return o;
    }

    /**
     * @param hosts hosts
     * @return the {@code host:list --json} document
     */
    static String listJson(List<HostView> hosts) {
        ArrayNode a = Json.array();
        hosts.forEach(h -> a.add(summary(h)));
        return Json.pretty(a);
    }

    /**
     * @param hosts hosts
     * @return the {@code host:list} table
     */
    static String table(List<HostView> hosts) {
        if (hosts.isEmpty()) {
            return "no hosts";
        }
        TextTable t = new TextTable("NAME", "TYPE", "HYPERVISOR", "CLUSTER", "CORES", "MHZ/CORE", "MEMORY", "USED MHZ",
                "FREE", "VMS", "STATUS").alignRight("MEMORY", "USED MHZ", "FREE");
        for (HostView h : hosts) {
            HostSpec s = h.spec();
            HostSnapshot live = h.live();
            t.row(s.name(), s.type().id(), s.hypervisor(), s.cluster(), s.cores(), s.mhzPerCore(),
                    Units.formatMiB(s.memoryMiB()),
                    live == null ? null : Long.toString(Math.round(live.usedMhz())),
                    live == null ? null : Units.formatMiB(MemoryFigures.toMiB(live.freePages())),
                    h.vms().size(), status(h));
        }
        return t.render();
    }

    /**
     * @param host a host
     * @return the {@code host:info} page: definition, type overheads, live figures, VMs
     */
    static String info(HostView host) {
        HostSpec s = host.spec();
        TextBlock b = new TextBlock(s.name() + "  " + s.type().id() + " host on hypervisor " + s.hypervisor() + ", "
                + status(host));
        b.section("Definition")
                .field("cluster", s.cluster())
                .field("cores", s.cores() + " x " + s.mhzPerCore() + " MHz = " + s.capacityMhz() + " MHz")
                .field("memory", Units.formatMiB(s.memoryMiB()))
                .field("CPU model", s.cpuModel().name())
                .field("NIC", s.nicMbps() + " Mbit/s");
        TextTable ds = new TextTable("DATASTORE", "CAPACITY", "LATENCY", "SHARED").alignRight("CAPACITY", "LATENCY");
        s.datastores().forEach(d -> ds.row(d.name(), d.capacityGiB() + "G", d.latencyMicros() + " us", d.shared() ? "yes" : "no"));
        b.table(ds);
        TypeProfile p = host.profile();
        b.section("Type profile");
        if (p == null) {
            b.field("profile", "unknown: the " + s.type().id() + " type bundle is absent");
        } else {
            b.field("description", p.description())
                    .field("CPU overhead", String.format(Locale.ROOT, "%.1f %%", p.cpuOverheadPercent()))
                    .field("reserved CPU", p.reservedCpuMhz() + " MHz")
                    .field("reserved memory", Units.formatMiB(p.reservedMemoryMiB()))
                    .field("privileged domain", p.privilegedDomain() == null ? "none" : p.privilegedDomain())
                    .field("I/O path", p.ioPath())
                    .field("per-VM memory", Units.formatMiB(p.perVmMemoryOverheadMiB()))
                    .field("hardware assisted", p.hardwareAssisted() ? "yes" : "no");
        }
        HostSnapshot live = host.live();
        b.section("Live");
        if (live == null) {
            b.field("status", "detached");
        } else {
            b.field("CPU used", String.format(Locale.ROOT, "%d / %d MHz (%.1f %%)", Math.round(live.usedMhz()),
                            s.capacityMhz(), 100.0 * live.usedMhz() / s.capacityMhz()))
                    .field("memory free", Units.formatMiB(MemoryFigures.toMiB(live.freePages())) + " of "
                            + Units.formatMiB(s.memoryMiB()))
                    .field("saved by sharing", Units.formatMiB(MemoryFigures.toMiB(live.sharedSavedPages())))
                    .field("clock", live.clockMillis() + " ms");
            if (!live.detail().isEmpty()) {
                b.field("detail", live.detail());
            }
        }
        if (!host.problem().isEmpty()) {
            b.field("problem", host.problem());
        }
        b.section("VMs");
        TextTable vms = vmTable(host);
        if (vms.isEmpty()) {
            b.note("none");
        } else {
            b.table(vms);
        }
        return b.render();
    }

    /**
     * @param host a host
     * @return one row per VM holding resources (privileged domains included), then one per VM
     *         placed on the host that holds none
     */
    static TextTable vmTable(HostView host) {
        List<String> headers = new ArrayList<>(List.of("NAME", "STATE", "VCPUS", "USED MHZ", "ENTITLED MHZ", "RESIDENT"));
        CONTENT.forEach(c -> headers.add(c.toUpperCase(Locale.ROOT)));
        TextTable t = new TextTable(headers.toArray(new String[0])).alignRight("RESIDENT");
        CONTENT.forEach(c -> t.alignRight(c.toUpperCase(Locale.ROOT)));
        List<String> shown = new ArrayList<>();
        HostSnapshot live = host.live();
        if (live != null) {
            for (VmSnapshot v : live.vms()) {
                Map<String, Long> content = VmFormat.byContentMiB(v.memory());
                List<Object> row = new ArrayList<>(List.of(v.name(), v.state().name(), v.spec().vcpus(),
                        Math.round(v.cpu().usedMhz()), Math.round(v.cpu().entitledMhz()),
                        Units.formatMiB(MemoryFigures.toMiB(v.memory().residentPages()))));
                CONTENT.forEach(c -> row.add(content.containsKey(c) ? Units.formatMiB(content.get(c)) : null));
                t.row(row.toArray());
                shown.add(v.name());
            }
        }
        for (String name : host.vms()) {
            if (!shown.contains(name)) {
                Object[] row = new Object[headers.size()];
                row[0] = name;
                row[1] = "inactive";
                t.row(row);
            }
        }
        return t;
    }

    private static String status(HostView host) {
        if (host.attached()) {
            return "attached";
        }
        return host.problem().isEmpty() ? "detached" : "detached: " + host.problem();
    }
}
