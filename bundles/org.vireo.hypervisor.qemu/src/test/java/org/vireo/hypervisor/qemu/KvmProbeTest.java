package org.vireo.hypervisor.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe's files: where they go and that nothing is left behind, even when it is cancelled. */
class KvmProbeTest {
    @TempDir
    Path dir;

    /** A probe whose "QEMU" is a script that prints nothing and sleeps: a guest hanging under KVM. */
    private KvmProbe hangingProbe(Path scratch) throws IOException {
        return probe(scratch, "exec sleep 600");
    }

    private KvmProbe probe(Path scratch, String script) throws IOException {
        Path qemu = Files.writeString(dir.resolve("fake-qemu"), "#!/bin/sh\n" + script + "\n");
        qemu.toFile().setExecutable(true);
        Path device = Files.writeString(dir.resolve("kvm"), "");
        GuestImage guest = new GuestImage(dir, Files.writeString(dir.resolve("vmlinux"), "ELF"),
                Files.writeString(dir.resolve("initramfs.cpio.gz"), ""), Map.of());
        return new KvmProbe(device, new QemuCommandLine(qemu.toString(), "q35"), () -> guest, Duration.ofSeconds(600), scratch);
    }

    @Test
    void cancellingARunningProbeStopsItsProcessAndRemovesItsFilesBeforeReturning() throws Exception {
        Path scratch = dir.resolve("index/.kvm-probe");
        KvmProbe probe = hangingProbe(scratch);
        CompletableFuture<KvmProbe.Verdict> verdict = CompletableFuture.supplyAsync(probe::run);
        while (!Files.exists(scratch.resolve("qemu.log")) && !verdict.isDone()) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(scratch.resolve("console.log")), "the probe's files go to the scratch folder given");

        probe.cancel();

        assertFalse(Files.exists(scratch), "removed by the time cancel returns");
        assertEquals("the probe was cancelled", verdict.get().reason());
        assertEquals(null, verdict.get().probedAt(), "a cancelled probe is no verdict to keep");
        assertEquals(0, ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(scratch.toString()))
                .count(), "no process of the probe is left");
    }

    @Test
    void aQemuThatFailsGivesAVerdictToKeepOneKilledBySignalDoesNot() throws IOException {
        Path scratch = dir.resolve("index/.kvm-probe");

        KvmProbe.Verdict failed = probe(scratch, "echo 'kvm: failed to set MSR 0x10a' >&2; exit 1").run();
        KvmProbe.Verdict killed = probe(scratch, "kill -TERM $$").run();

        assertTrue(failed.reason().startsWith("QEMU exited with status 1 under -accel kvm: kvm: failed to set MSR 0x10a"),
                failed.reason());
        assertTrue(failed.probedAt() != null, "a verdict on KVM, kept");
        assertTrue(killed.reason().startsWith("QEMU exited with status 143"), killed.reason());
        assertEquals(null, killed.probedAt(), "a signal says nothing about KVM: not kept");
        assertFalse(Files.exists(scratch));
    }

    @Test
    void filesAKilledRuntimeLeftAreRemovedAtTheNextStart() throws IOException {
        Path scratch = dir.resolve("index/.kvm-probe");
        Files.createDirectories(scratch);
        Files.writeString(scratch.resolve("console.log"), "Probing EDD");

        hangingProbe(scratch).removeLeftovers();

        assertFalse(Files.exists(scratch));
        assertTrue(Files.isDirectory(dir.resolve("index")), "the hypervisor's folder stays");
    }

    @Test
    void aProbeCancelledBeforeItStartsBootsNothing() throws IOException {
        Path scratch = dir.resolve("index/.kvm-probe");
        KvmProbe probe = hangingProbe(scratch);
        probe.cancel();

        assertEquals("the probe was cancelled", probe.run().reason());
        assertFalse(Files.exists(scratch));
    }
}
