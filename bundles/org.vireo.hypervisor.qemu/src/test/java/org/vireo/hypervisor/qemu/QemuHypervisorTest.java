package org.vireo.hypervisor.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
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

    /** A "QEMU" that tells its version and fails at once: the probe's verdict comes in milliseconds. */
    private QemuHypervisor probing(Path index) throws IOException {
        Path qemu = Files.writeString(dir.resolve("qemu"),
                "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'QEMU emulator version 10.0.2'; exit 0; fi\necho 'no KVM here' >&2\nexit 1\n");
        qemu.toFile().setExecutable(true);
        Path guest = dir.resolve("guest");
        if (!Files.isDirectory(guest)) { // written once: a rewritten guest kernel is another key
            Files.createDirectories(guest);
            Files.writeString(guest.resolve("vmlinux"), "ELF");
            Files.writeString(guest.resolve("initramfs.cpio.gz"), "");
        }
        QemuVm.Timing timing = new QemuVm.Timing(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(1));
        return new QemuHypervisor(new Settings(qemu.toString(), "q35", timing, Duration.ofSeconds(15), "", false, "", 256),
                new GuestLocator(guest.toString(), null, "/"), index, ProcFs.system(),
                Files.writeString(dir.resolve("kvm"), ""), Policies.NONE, Path.of("/"));
    }

    @Test
    void theKvmVerdictIsKeptForTheNextStartAndHostInfoSaysSo() throws Exception {
        Path index = dir.resolve("index");
        Files.createDirectories(index.resolve(".kvm-probe"));
        Files.writeString(index.resolve(".kvm-probe/console.log"), "left by a killed runtime");
        QemuHypervisor first = probing(index);
        KvmProbe.Verdict probed;
        try {
            assertFalse(Files.exists(index.resolve(".kvm-probe")), "a killed runtime's probe files go at the next start");
            probed = first.kvmVerdict();
            assertFalse(probed.cached());
            assertTrue(probed.reason().contains("QEMU exited with status 1") && probed.reason().contains("no KVM here"), probed.reason());
        } finally {
            first.deactivate();
        }
        assertFalse(Files.exists(index.resolve(".kvm-probe")), "the probe removed its files");

        QemuHypervisor second = probing(index);
        try {
            second.attachHost(host(HypervisorKind.HOSTED), profile(HypervisorKind.HOSTED));
            KvmProbe.Verdict kept = second.kvmVerdict();
            assertTrue(kept.cached());
            assertEquals(probed.reason(), kept.reason());
            assertEquals(probed.probedAt(), kept.probedAt());
            String detail = second.snapshot("h1").detail();
            assertTrue(detail.contains("KVM probe: unusable: " + probed.reason() + " (cached: probed at " + probed.probedAt()), detail);
        } finally {
            second.deactivate();
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
