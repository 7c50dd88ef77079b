package org.vireo.hypervisor.qemu;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * Keeps the KVM probe's verdict across starts, so that a runtime does not boot a probe guest
 * (up to its timeout, a spinning core) at every start. The verdict holds as long as nothing that
 * decides it changed: the QEMU binary and its version, the host kernel, whether the KVM device
 * exists, the guest kernel the probe boots, and the probe's timeout. Any change probes again.
 * Only verdicts of a probe that booted QEMU are kept; "not probed" or "cancelled" are not verdicts.
 */
final class KvmVerdictCache {
    /**
     * What decides the verdict.
     *
     * @param qemuBinary the QEMU executable, as an absolute (real) path where it can be found
     * @param qemuVersion its {@code --version}
     * @param kernelRelease the host kernel's release ({@code /proc/sys/kernel/osrelease})
     * @param kvmDevice whether the KVM device exists
     * @param guestKernel the guest kernel's real path, size and modification time
     * @param timeoutSeconds the probe's timeout
     */
    record Key(String qemuBinary, String qemuVersion, String kernelRelease, boolean kvmDevice, String guestKernel,
            long timeoutSeconds) {
        Map<String, String> properties() {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("qemu.binary", qemuBinary);
            p.put("qemu.version", qemuVersion);
            p.put("host.kernel", kernelRelease);
            p.put("kvm.device", Boolean.toString(kvmDevice));
            p.put("guest.kernel", guestKernel);
            p.put("probe.timeout", Long.toString(timeoutSeconds));
            return p;
        }

        /**
         * @param qemuBinary as configured: a name on the PATH or a path
         * @param qemuVersion its version line
         * @param osrelease the file holding the host kernel's release
         * @param kvmDevice the KVM device
         * @param guestKernel the kernel the probe boots
         * @param timeoutSeconds the probe's timeout
         * @param path the PATH to look a bare name up in
         * @return the key
         */
        static Key of(String qemuBinary, String qemuVersion, Path osrelease, Path kvmDevice, Path guestKernel, long timeoutSeconds,
                String path) {
            return new Key(KvmVerdictCache.resolve(qemuBinary, path), qemuVersion, KvmVerdictCache.kernelRelease(osrelease), Files.exists(kvmDevice),
                    KvmVerdictCache.identity(guestKernel), timeoutSeconds);
        }
    }

    static final String FORMAT = "1";

    private final Path file;

    /** @param file where the verdict is kept, in the hypervisor's own folder */
    KvmVerdictCache(Path file) {
        this.file = file;
    }

    /**
     * @param key what decides the verdict now
     * @param probe boots the probe guest
     * @return the kept verdict when it was reached under the same key, else a fresh one (kept when conclusive)
     */
    KvmProbe.Verdict verdict(Key key, Supplier<KvmProbe.Verdict> probe) {
        Optional<KvmProbe.Verdict> kept = load(key);
        if (kept.isPresent()) {
            return kept.get();
        }
        KvmProbe.Verdict fresh = probe.get();
        if (fresh.probedAt() != null) {
            store(key, fresh);
        }
        return fresh;
    }

    /**
     * @param key what decides the verdict now
     * @return the kept verdict, when there is one for the same key
     */
    Optional<KvmProbe.Verdict> load(Key key) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!FORMAT.equals(p.getProperty("format"))) {
            return Optional.empty();
        }
        for (Map.Entry<String, String> e : key.properties().entrySet()) {
            if (!e.getValue().equals(p.getProperty(e.getKey()))) {
                return Optional.empty();
            }
        }
        String usable = p.getProperty("verdict.usable");
        String reason = p.getProperty("verdict.reason");
        String probed = p.getProperty("verdict.probed");
        if (usable == null || reason == null || probed == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new KvmProbe.Verdict(Boolean.parseBoolean(usable), reason, Instant.parse(probed), true));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Best effort: a verdict that cannot be kept is probed again at the next start. */
    void store(Key key, KvmProbe.Verdict verdict) {
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        key.properties().forEach(p::setProperty);
        p.setProperty("verdict.usable", Boolean.toString(verdict.usable()));
        p.setProperty("verdict.reason", verdict.reason());
        p.setProperty("verdict.probed", verdict.probedAt().toString());
        try {
            Files.createDirectories(file.getParent());
            Writer text = new StringWriter();
            p.store(text, "the KVM probe's verdict and what decided it; delete to probe again");
            VmPaths.writeAtomically(file, text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            // not kept: probed again at the next start (writeAtomically left no temporary file)
        }
    }

    private static String resolve(String binary, String path) {
        Path found = null;
        if (binary.contains("/")) {
            found = Path.of(binary);
        } else if (path != null) {
            for (String dir : path.split(":")) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, binary);
                if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                    found = candidate;
                    break;
                }
            }
        }
        if (found == null) {
            return binary;
        }
        try {
            return found.toRealPath().toString();
        } catch (IOException e) {
            return found.toAbsolutePath().normalize().toString();
        }
    }

    private static String kernelRelease(Path osrelease) {
        try {
            String release = Files.readString(osrelease, StandardCharsets.UTF_8).trim();
            if (!release.isEmpty()) {
                return release;
            }
        } catch (IOException e) {
            // not Linux's /proc: the JVM reads the same release through uname(2)
        }
        return System.getProperty("os.version", "unknown");
    }

    private static String identity(Path file) {
        try {
            Path real = file.toRealPath();
            return real + " " + Files.size(real) + " bytes, modified " + Files.getLastModifiedTime(real).toInstant();
        } catch (IOException e) {
            return file + " (unreadable: " + e.getClass().getSimpleName() + ")";
        }
    }
}
