package org.vireo.hypervisor.qemu;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vireo.api.hypervisor.HypervisorException;
import org.vireo.api.hypervisor.TypeProfile;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;

/** What the hypervisor refuses before any QEMU runs. */
class QemuHypervisorTest {
    @TempDir
    Path dir;

    private QemuHypervisor hypervisor(String binary) {
        QemuVm.Timing timing = new QemuVm.Timing(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(1));
        return new QemuHypervisor(new Settings(binary, "q35", timing, Duration.ZERO, ""),
                new GuestLocator(dir.resolve("guest").toString(), null, "/"), dir.resolve("index"), ProcFs.system(),
                dir.resolve("no-kvm"));
    }

    private static HostSpec host(HypervisorKind kind) {
        return HostSpec.of("h1", 2, 2400, 8192, kind).withHypervisor("qemu");
    }

    private static TypeProfile profile(HypervisorKind kind) {
        return new TypeProfile(kind, "test", 0, 0, 0, null, "emulated", 0, false);
    }

    @Test
    void aMissingQemuFailsTheAttachSayingWhatToInstall() {
        QemuHypervisor h = hypervisor(dir.resolve("no-such-qemu").toString());
        try {
            HypervisorException e = assertThrows(HypervisorException.class,
                    () -> h.attachHost(host(HypervisorKind.HOSTED), profile(HypervisorKind.HOSTED)));
            assertTrue(e.getMessage().contains("QEMU is missing") && e.getMessage().contains("qemu-system-x86"), e.getMessage());
        } finally {
            h.deactivate();
        }
    }

    @Test
    void aBaremetalHostIsRefused() {
        QemuHypervisor h = hypervisor("qemu-system-x86_64");
        try {
            HypervisorException e = assertThrows(HypervisorException.class,
                    () -> h.attachHost(host(HypervisorKind.BAREMETAL), profile(HypervisorKind.BAREMETAL)));
            assertTrue(e.getMessage().contains("h1") && e.getMessage().contains("baremetal"), e.getMessage());
        } finally {
            h.deactivate();
        }
    }

    @Test
    void aHybridHostNeedsAKvmThatBootsLinux() {
        QemuHypervisor h = hypervisor("/bin/true");
        try {
            HypervisorException e = assertThrows(HypervisorException.class,
                    () -> h.attachHost(host(HypervisorKind.HYBRID), profile(HypervisorKind.HYBRID)));
            assertTrue(e.getMessage().contains("hybrid (KVM)") && e.getMessage().contains("not probed"), e.getMessage());
        } finally {
            h.deactivate();
        }
    }

    @Test
    void operationsOnAnUnknownHostNameTheAttachedOnes() {
        QemuHypervisor h = hypervisor("/bin/true");
        try {
            HypervisorException e = assertThrows(HypervisorException.class, () -> h.snapshot("h9"));
            assertTrue(e.getMessage().contains("h9") && e.getMessage().contains("attached: none"), e.getMessage());
        } finally {
            h.deactivate();
        }
    }
}
