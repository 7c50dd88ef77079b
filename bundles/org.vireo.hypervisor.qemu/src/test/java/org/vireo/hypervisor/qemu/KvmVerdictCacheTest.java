package org.vireo.hypervisor.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which KVM verdicts are kept across starts, and what makes the hypervisor probe again. */
class KvmVerdictCacheTest {
    @TempDir
    Path dir;

    private final AtomicInteger probes = new AtomicInteger();

    private static final KvmVerdictCache.Key KEY = new KvmVerdictCache.Key("/usr/bin/qemu-system-x86_64",
            "QEMU 10.0.2 (Debian 1:10.0.2+ds-1~bpo12+1)", "6.1.0-56-amd64", true,
            "/guest/vmlinux 31457280 bytes, modified 2025-01-02T03:04:05Z", 15);

    private Supplier<KvmProbe.Verdict> probe(boolean usable, String reason, Instant probedAt) {
        return () -> {
            probes.incrementAndGet();
            return new KvmProbe.Verdict(usable, reason, probedAt, false);
        };
    }

    private KvmVerdictCache cache() {
        return new KvmVerdictCache(dir.resolve("index/.kvm-verdict.properties"));
    }

    @Test
    void aProbedVerdictIsKeptAndGivenBackAtTheNextStartWithoutProbing() {
        Instant probed = Instant.parse("2025-06-01T10:00:00Z");
        KvmProbe.Verdict first = cache().verdict(KEY, probe(false, "no banner within 15 s", probed));

        KvmProbe.Verdict second = cache().verdict(KEY, probe(true, "must not run", Instant.now()));

        assertEquals(1, probes.get());
        assertFalse(first.cached());
        assertEquals(new KvmProbe.Verdict(false, "no banner within 15 s", probed, true), second);
        assertTrue(second.describe().startsWith("unusable: no banner within 15 s (cached: probed at 2025-06-01T10:00:00Z"),
                second.describe());
    }

    @Test
    void anyChangeOfWhatDecidesTheVerdictProbesAgain() {
        cache().verdict(KEY, probe(false, "no banner", Instant.now()));
        List<KvmVerdictCache.Key> changed = List.of(
                new KvmVerdictCache.Key("/opt/qemu/bin/qemu-system-x86_64", KEY.qemuVersion(), KEY.kernelRelease(), true,
                        KEY.guestKernel(), 15),
                new KvmVerdictCache.Key(KEY.qemuBinary(), "QEMU 7.2.15", KEY.kernelRelease(), true, KEY.guestKernel(), 15),
                new KvmVerdictCache.Key(KEY.qemuBinary(), KEY.qemuVersion(), "6.1.0-57-amd64", true, KEY.guestKernel(), 15),
                new KvmVerdictCache.Key(KEY.qemuBinary(), KEY.qemuVersion(), KEY.kernelRelease(), false, KEY.guestKernel(), 15),
                new KvmVerdictCache.Key(KEY.qemuBinary(), KEY.qemuVersion(), KEY.kernelRelease(), true,
                        "/guest/vmlinux 31457281 bytes, modified 2025-01-02T03:04:05Z", 15),
                new KvmVerdictCache.Key(KEY.qemuBinary(), KEY.qemuVersion(), KEY.kernelRelease(), true, KEY.guestKernel(), 30));
        for (KvmVerdictCache.Key key : changed) {
            int before = probes.get();
            KvmProbe.Verdict v = cache().verdict(key, probe(true, "booted under " + key, Instant.now()));
            assertEquals(before + 1, probes.get(), "probed again for " + key);
            assertFalse(v.cached());
            assertTrue(cache().verdict(key, probe(false, "must not run", Instant.now())).cached(), "then kept for " + key);
        }
        assertEquals(changed.size() + 1, probes.get());
    }

    @Test
    void aVerdictReachedWithoutBootingAGuestIsNotKept() {
        cache().verdict(KEY, () -> {
            probes.incrementAndGet();
            return new KvmProbe.Verdict(false, "the probe was cancelled");
        });

        KvmProbe.Verdict next = cache().verdict(KEY, probe(true, "booted", Instant.now()));

        assertEquals(2, probes.get());
        assertEquals("booted", next.reason());
        assertFalse(Files.exists(dir.resolve("index/.kvm-verdict.properties.tmp")));
    }

    @Test
    void anUnreadableOrForeignFileProbesAgain() throws IOException {
        Path file = dir.resolve("index/.kvm-verdict.properties");
        cache().verdict(KEY, probe(true, "booted", Instant.now()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Files.writeString(file, Files.readString(file).replace("format=1", "format=9"));
        cache().verdict(KEY, probe(true, "booted", Instant.now()));
        Files.writeString(file, "garbage \\u12");

        cache().verdict(KEY, probe(true, "booted", Instant.now()));

        assertEquals(3, probes.get());
    }

    @Test
    void theKeyResolvesTheBinaryOnThePathAndIdentifiesTheHostAndGuestKernels() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path qemu = Files.writeString(bin.resolve("qemu-real"), "#!/bin/sh\n");
        qemu.toFile().setExecutable(true);
        Files.createSymbolicLink(bin.resolve("qemu-system-x86_64"), qemu);
        Path osrelease = Files.writeString(dir.resolve("osrelease"), "6.1.0-56-amd64\n");
        Path kernel = Files.writeString(dir.resolve("vmlinux"), "ELF");
        Path device = dir.resolve("kvm");
        String path = dir.resolve("empty") + ":" + bin;

        KvmVerdictCache.Key key = KvmVerdictCache.Key.of("qemu-system-x86_64", "QEMU 10.0.2", osrelease, device, kernel, 15, path);

        assertEquals(qemu.toRealPath().toString(), key.qemuBinary(), "the name on the PATH, links followed");
        assertEquals("6.1.0-56-amd64", key.kernelRelease());
        assertFalse(key.kvmDevice());
        assertTrue(key.guestKernel().startsWith(kernel.toRealPath() + " 3 bytes"), key.guestKernel());
        assertEquals(key, KvmVerdictCache.Key.of("qemu-system-x86_64", "QEMU 10.0.2", osrelease, device, kernel, 15, path),
                "the same machine gives the same key");

        Files.writeString(device, "");
        Files.writeString(kernel, "ELF");
        Files.setLastModifiedTime(kernel, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
        KvmVerdictCache.Key later = KvmVerdictCache.Key.of(qemu.toString(), "QEMU 10.0.2", dir.resolve("no-osrelease"), device, kernel,
                15, null);

        assertTrue(later.kvmDevice());
        assertNotEquals(key.guestKernel(), later.guestKernel(), "a rebuilt guest kernel of the same size");
        assertEquals(System.getProperty("os.version"), later.kernelRelease(), "without /proc, the release uname(2) gives");
        assertEquals(key.qemuBinary(), later.qemuBinary());
    }

    @Test
    void aVerdictWithoutProbeTimeHasNoCachedNote() {
        KvmProbe.Verdict v = new KvmProbe.Verdict(false, "no /dev/kvm on this host");
        assertNull(v.probedAt());
        assertEquals("unusable: no /dev/kvm on this host", v.describe());
    }
}
