package org.vireo.hypervisor.qemu;

import java.nio.file.Path;
import java.util.Map;

/**
 * The guest that {@code guest/build.sh} builds: an uncompressed ELF kernel booted through PVH,
 * and an initramfs whose {@code /init} prints {@link #BANNER} and runs the workload named on the
 * kernel command line.
 *
 * @param directory where it was found
 * @param kernel the {@code vmlinux}
 * @param initrd the {@code initramfs.cpio.gz}
 * @param manifest the build's {@code manifest} (kernel package, version, hashes), possibly empty
 */
public record GuestImage(Path directory, Path kernel, Path initrd, Map<String, String> manifest) {
    /** What the guest prints on its serial console once its workload starts. */
    public static final String BANNER = "VIREO-GUEST READY";
    /** The prefix of the workload's heartbeat line, printed every second. */
    public static final String HEARTBEAT = "HB ";

    /** Copies the manifest. */
    public GuestImage {
        manifest = Map.copyOf(manifest);
    }

    /** @return "linux-image-6.1.0-56-amd64 6.1.192-2" or the directory when the manifest is missing */
    public String describe() {
        String pkg = manifest.get("kernel.package");
        return pkg == null ? directory.toString() : pkg + " " + manifest.getOrDefault("kernel.version", "?");
    }
}
