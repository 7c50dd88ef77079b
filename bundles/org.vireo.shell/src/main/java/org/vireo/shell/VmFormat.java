package org.vireo.shell;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.vireo.api.hypervisor.CpuFigures;
import org.vireo.api.hypervisor.IoFigures;
import org.vireo.api.hypervisor.MemoryFigures;
import org.vireo.api.hypervisor.VmSnapshot;
import org.vireo.api.inventory.VmView;
import org.vireo.api.model.CpuQos;
import org.vireo.api.model.DiskSpec;
import org.vireo.api.model.MemoryQos;
import org.vireo.api.model.NicSpec;
import org.vireo.api.model.Units;
import org.vireo.api.model.VmSpec;

/**
 * How VMs are shown: tables and detail pages for people, JSON documents for scripts.
 * <p>
 * JSON contract. {@code vm:list --json} is an array of {@link #summary} objects: {@code name},
 * {@code state}, {@code host}, {@code vcpus}, {@code memoryMiB}, {@code cpuLimitMhz} (null when
 * unlimited), {@code cpuReservationMhz}, {@code cpuShares}, {@code memReservationMiB},
 * {@code memShares}, {@code workload}, {@code image}, {@code disks}. {@code vm:info --json} is a
 * {@link #detail} object: every summary field plus {@code directory}, {@code nics}, {@code qos},
 * {@code live}, {@code cpuDemandMhz}, {@code cpuEntitledMhz}, {@code cpuUsedMhz},
 * {@code cpuReadyPercent}, {@code cpuWork} (MHz·s), {@code residentMiB}, {@code sharedMiB},
 * {@code balloonedMiB}, {@code swappedMiB}, {@code activeMiB}, {@code residentByContentMiB},
 * {@code io} and {@code detail}. Live figures are 0 while the VM holds no resources.
 */
final class VmFormat {
    private VmFormat() {
    }

    /**
     * @param vm a VM
     * @return one line for people, e.g. {@code vm1 RUNNING on h1}
     */
    static String line(VmView vm) {
        return vm.name() + " " + vm.state() + " on " + vm.host();
    }

    /**
     * @param vm a VM
     * @return the fields of one {@code vm:list --json} entry
     */
    static ObjectNode summary(VmView vm) {
        VmSpec s = vm.spec();
        ObjectNode o = Json.object();
        o.put("name", s.name());
        o.put("state", vm.state().name());
        o.put("host", vm.host());
        o.put("vcpus", s.vcpus());
        o.put("memoryMiB", s.memoryMiB());
        o.put("cpuLimitMhz", s.cpu().limitMhz());
        o.put("cpuReservationMhz", s.cpu().reservationMhz());
        o.put("cpuShares", s.cpu().shares());
        o.put("memReservationMiB", s.memory().reservationMiB());
        o.put("memShares", s.memory().shares());
        o.put("workload", s.workload().toText());
        o.put("image", s.image());
        o.set("disks", disks(s.disks()));
        return o;
    }

    /**
     * @param vm a VM
     * @return the {@code vm:info --json} document
     */
    static ObjectNode detail(VmView vm) {
        VmSpec s = vm.spec();
        ObjectNode o = summary(vm);
        o.put("directory", vm.directory());
        o.set("nics", nics(s.nics()));
        o.set("qos", qos(s.cpu(), s.memory()));
        VmSnapshot live = vm.live();
        CpuFigures cpu = live == null ? CpuFigures.NONE : live.cpu();
        MemoryFigures mem = live == null ? MemoryFigures.none(s.memoryMiB()) : live.memory();
        IoFigures io = live == null ? IoFigures.NONE : live.io();
        o.put("live", live != null);
        o.put("cpuDemandMhz", cpu.demandMhz());
        o.put("cpuEntitledMhz", cpu.entitledMhz());
        o.put("cpuUsedMhz", cpu.usedMhz());
        o.put("cpuReadyPercent", cpu.readyPercent());
        o.put("cpuWork", cpu.workMhzSeconds());
        o.put("residentMiB", MemoryFigures.toMiB(mem.residentPages()));
        o.put("sharedMiB", MemoryFigures.toMiB(mem.sharedPages()));
        o.put("balloonedMiB", MemoryFigures.toMiB(mem.balloonedPages()));
        o.put("swappedMiB", MemoryFigures.toMiB(mem.swappedPages()));
        o.put("activeMiB", MemoryFigures.toMiB(mem.activePages()));
        o.set("residentByContentMiB", Json.numbers(byContentMiB(mem)));
        ObjectNode ioNode = o.putObject("io");
        ioNode.put("diskReadMiBps", io.diskReadMiBps());
        ioNode.put("diskWriteMiBps", io.diskWriteMiBps());
        ioNode.put("netRxMbps", io.netRxMbps());
        ioNode.put("netTxMbps", io.netTxMbps());
        o.put("detail", live == null ? "" : live.detail());
        return o;
    }

    /**
     * @param vms VMs
     * @return the {@code vm:list --json} document
     */
    static String listJson(List<VmView> vms) {
        ArrayNode a = Json.array();
        vms.forEach(v -> a.add(summary(v)));
        return Json.pretty(a);
    }

    /**
     * @param vms VMs
     * @return the {@code vm:list} table
     */
    static String table(List<VmView> vms) {
        if (vms.isEmpty()) {
            return "no VMs";
        }
        TextTable t = new TextTable("NAME", "STATE", "HOST", "VCPUS", "MEMORY", "CPU LIMIT", "CPU RES", "SHARES",
                "WORKLOAD", "DISKS", "USED MHZ", "RESIDENT")
                .alignRight("MEMORY", "CPU LIMIT", "CPU RES", "DISKS", "USED MHZ", "RESIDENT");
        for (VmView v : vms) {
            VmSpec s = v.spec();
            VmSnapshot live = v.live();
            t.row(s.name(), v.state().name(), v.host(), s.vcpus(), Units.formatMiB(s.memoryMiB()),
                    limit(s.cpu()), s.cpu().reservationMhz() + " MHz", s.cpu().shares(), s.workload().toText(),
                    diskSummary(s.disks()),
                    live == null ? null : Math.round(live.cpu().usedMhz()),
                    live == null ? null : Units.formatMiB(MemoryFigures.toMiB(live.memory().residentPages())));
        }
        return t.render();
    }

    /**
     * @param vm a VM
     * @return the {@code vm:info} page: definition, then live figures
     */
    static String info(VmView vm) {
        VmSpec s = vm.spec();
        TextBlock b = new TextBlock(line(vm));
        b.section("Definition")
                .field("vCPUs", s.vcpus())
                .field("memory", Units.formatMiB(s.memoryMiB()))
                .field("image", s.image())
                .field("workload", s.workload().toText())
                .field("directory", vm.directory());
        b.section("CPU QoS")
                .field("limit", limit(s.cpu()))
                .field("reservation", s.cpu().reservationMhz() + " MHz")
                .field("shares", s.cpu().shares());
        b.section("Memory QoS")
                .field("reservation", Units.formatMiB(s.memory().reservationMiB()))
                .field("shares", s.memory().shares());
        b.section("Disks");
        if (s.disks().isEmpty()) {
            b.note("none");
        } else {
            TextTable d = new TextTable("NAME", "SIZE", "DATASTORE", "FORMAT", "BASE", "SHARED").alignRight("SIZE");
            s.disks().forEach(disk -> d.row(disk.name(), Units.formatMiB(disk.capacityMiB()), disk.datastore(),
                    disk.format().id(), disk.base(), disk.shared() ? "yes" : "no"));
            b.table(d);
        }
        b.section("NICs");
        if (s.nics().isEmpty()) {
            b.note("none");
        } else {
            TextTable n = new TextTable("NAME", "NETWORK", "MAC");
            s.nics().forEach(nic -> n.row(nic.name(), nic.network(), nic.mac() == null ? "auto" : nic.mac()));
            b.table(n);
        }
        VmSnapshot live = vm.live();
        if (live == null) {
            b.section("Live").field("status", "holds no resources (" + vm.state() + ")");
            return b.render();
        }
        CpuFigures cpu = live.cpu();
        MemoryFigures mem = live.memory();
        IoFigures io = live.io();
        b.section("Live")
                .field("state", live.state().name())
                .field("CPU demand", mhz(cpu.demandMhz()))
                .field("CPU entitled", mhz(cpu.entitledMhz()))
                .field("CPU used", mhz(cpu.usedMhz()))
                .field("CPU ready", String.format(Locale.ROOT, "%.1f %%", cpu.readyPercent()))
                .field("CPU work", String.format(Locale.ROOT, "%.0f MHz*s", cpu.workMhzSeconds()))
                .field("resident", Units.formatMiB(MemoryFigures.toMiB(mem.residentPages())))
                .field("shared", Units.formatMiB(MemoryFigures.toMiB(mem.sharedPages())))
                .field("ballooned", Units.formatMiB(MemoryFigures.toMiB(mem.balloonedPages())))
                .field("swapped", Units.formatMiB(MemoryFigures.toMiB(mem.swappedPages())))
                .field("active", Units.formatMiB(MemoryFigures.toMiB(mem.activePages())))
                .field("resident by content", contentText(byContentMiB(mem)))
                .field("disk read/write", String.format(Locale.ROOT, "%.1f / %.1f MiB/s", io.diskReadMiBps(), io.diskWriteMiBps()))
                .field("net rx/tx", String.format(Locale.ROOT, "%.1f / %.1f Mbit/s", io.netRxMbps(), io.netTxMbps()));
        if (!live.detail().isEmpty()) {
            b.field("detail", live.detail());
        }
        return b.render();
    }

    /**
     * @param disks disks
     * @return one JSON object per disk
     */
    static ArrayNode disks(List<DiskSpec> disks) {
        ArrayNode a = Json.array();
        for (DiskSpec d : disks) {
            ObjectNode o = a.addObject();
            o.put("name", d.name());
            o.put("capacityMiB", d.capacityMiB());
            o.put("datastore", d.datastore());
            o.put("format", d.format().id());
            o.put("base", d.base());
            o.put("shared", d.shared());
        }
        return a;
    }

    /**
     * @param nics NICs
     * @return one JSON object per NIC
     */
    static ArrayNode nics(List<NicSpec> nics) {
        ArrayNode a = Json.array();
        for (NicSpec n : nics) {
            ObjectNode o = a.addObject();
            o.put("name", n.name());
            o.put("network", n.network());
            o.put("mac", n.mac());
        }
        return a;
    }

    /**
     * @param mem memory figures
     * @return resident MiB by content class ({@code zero}, {@code image}, ...), sorted
     */
    static Map<String, Long> byContentMiB(MemoryFigures mem) {
        Map<String, Long> m = new TreeMap<>();
        mem.byContent().forEach((k, pages) -> m.put(k, MemoryFigures.toMiB(pages)));
        return m;
    }

    /**
     * @param byContentMiB MiB by content class
     * @return e.g. {@code image 300M, zero 12M}, or {@code -} when unknown
     */
    static String contentText(Map<String, Long> byContentMiB) {
        if (byContentMiB.isEmpty()) {
            return "-";
        }
        StringBuilder sb = new StringBuilder();
        byContentMiB.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ').append(Units.formatMiB(v)));
        return sb.toString();
    }

    /**
     * @param mhz a frequency
     * @return e.g. {@code 1234 MHz}
     */
    static String mhz(double mhz) {
        return Math.round(mhz) + " MHz";
    }

    private static ObjectNode qos(CpuQos cpu, MemoryQos memory) {
        ObjectNode q = Json.object();
        ObjectNode c = q.putObject("cpu");
        c.put("limitMhz", cpu.limitMhz());
        c.put("reservationMhz", cpu.reservationMhz());
        c.put("shares", cpu.shares());
        ObjectNode m = q.putObject("memory");
        m.put("reservationMiB", memory.reservationMiB());
        m.put("shares", memory.shares());
        return q;
    }

    private static String limit(CpuQos cpu) {
        return cpu.isLimited() ? cpu.limitMhz() + " MHz" : "unlimited";
    }

    private static String diskSummary(List<DiskSpec> disks) {
        if (disks.isEmpty()) {
            return "0";
        }
        long total = disks.stream().mapToLong(DiskSpec::capacityMiB).sum();
        return disks.size() + " (" + Units.formatMiB(total) + ")";
    }
}
