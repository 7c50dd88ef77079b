package org.vireo.shell;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.vireo.api.hypervisor.CpuFigures;
import org.vireo.api.hypervisor.HostSnapshot;
import org.vireo.api.hypervisor.IoFigures;
import org.vireo.api.hypervisor.MemoryFigures;
import org.vireo.api.hypervisor.TypeProfile;
import org.vireo.api.hypervisor.VmSnapshot;
import org.vireo.api.inventory.EventCategory;
import org.vireo.api.inventory.HostView;
import org.vireo.api.inventory.VireoEvent;
import org.vireo.api.inventory.VmView;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.VmState;

/** Views with known figures, shared by the tests. */
final class Samples {
    static final TypeProfile BAREMETAL = new TypeProfile(HypervisorKind.BAREMETAL, "type 1, Xen-style: Dom0 owns physical I/O",
            3.5, 1200, 1024, "Dom0", "split driver through Dom0", 24, true);

    private Samples() {
    }

    static VmSnapshot snapshot(VmSpec spec, VmState state) {
        return new VmSnapshot(spec, state, new CpuFigures(1500, 1200, 1100.4, 2.5, 98765.4),
                new MemoryFigures(spec.memoryMiB() * 256, 300 * 256, 40 * 256, 64 * 256, 16 * 256, 200 * 256,
                        Map.of("zero", 10L * 256, "image", 250L * 256, "random", 40L * 256)),
                new IoFigures(1.5, 2.0, 10, 20), "pid 4242");
    }

    static VmView running(VmSpec spec, String host) {
        return new VmView(spec, host, VmState.RUNNING, "/data/vms/" + spec.name(), snapshot(spec, VmState.RUNNING));
    }

    static VmView defined(VmSpec spec, String host) {
        return new VmView(spec, host, VmState.DEFINED, "/data/vms/" + spec.name(), null);
    }

    static HostView attached(HostSpec spec, List<VmView> vms) {
        List<VmSnapshot> live = vms.stream().filter(v -> v.live() != null).map(VmView::live).toList();
        HostSnapshot snap = new HostSnapshot(spec, BAREMETAL, 12_000, 2200.6, 8L * 1024 * 256, 32 * 256, live, "sim clock");
        return new HostView(spec, BAREMETAL, snap, vms.stream().map(VmView::name).toList(), "");
    }

    static HostView detached(HostSpec spec) {
        return new HostView(spec, null, null, List.of(), "hypervisor 'qemu' is not installed");
    }

    static HostSpec host(String name) {
        return HostSpec.of(name, 8, 2400, 16 * 1024, HypervisorKind.BAREMETAL);
    }

    static VireoEvent event(long seq, String subject, String type) {
        return new VireoEvent(seq, Instant.parse("2025-03-01T10:15:30.123Z").plusSeconds(seq), EventCategory.VM, subject,
                type, subject + " " + type);
    }
}
