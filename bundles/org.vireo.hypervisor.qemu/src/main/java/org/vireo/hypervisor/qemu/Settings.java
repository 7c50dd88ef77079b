package org.vireo.hypervisor.qemu;

import java.time.Duration;
import org.vireo.api.model.Check;

/**
 * The hypervisor's settings as plain values, read from {@link QemuConfig}.
 *
 * @param qemuBinary the QEMU executable
 * @param machine the machine type
 * @param timing the VMs' timeouts and sample interval (also the interval at which policies are asked)
 * @param kvmProbeTimeout the KVM probe's timeout (zero: no probe)
 * @param stateDirectory the re-attach index directory, or empty for the bundle's data area
 * @param cgroups whether QoS is enforced through per-VM cgroups (where the machine allows it)
 * @param cgroupParent the cgroup below which hosts' groups go, or empty for {@code vireo-ID} below the runtime's own
 * @param memoryOverheadMiB what a QEMU process may use beyond its guest's memory (memory cgroup limit)
 */
record Settings(String qemuBinary, String machine, QemuVm.Timing timing, Duration kvmProbeTimeout, String stateDirectory,
        boolean cgroups, String cgroupParent, long memoryOverheadMiB) {
    /** Ticks of the sampler: console and banner checks run at every tick. */
    static final Duration TICK = Duration.ofMillis(250);
    /** QEMU's own memory beyond the guest's: device model, TCG translation cache, page tables. */
    static final long DEFAULT_MEMORY_OVERHEAD_MIB = 256;

    /** Settings with cgroups in use below the runtime's own cgroup and the default memory overhead. */
    Settings(String qemuBinary, String machine, QemuVm.Timing timing, Duration kvmProbeTimeout, String stateDirectory) {
        this(qemuBinary, machine, timing, kvmProbeTimeout, stateDirectory, true, "", DEFAULT_MEMORY_OVERHEAD_MIB);
    }

    static Settings from(QemuConfig c) {
        Check.range("qmpTimeoutSeconds", c.qmpTimeoutSeconds(), 1, 3600);
        Check.range("launchTimeoutSeconds", c.launchTimeoutSeconds(), 1, 3600);
        Check.range("stopTimeoutSeconds", c.stopTimeoutSeconds(), 0, 3600);
        Check.range("bootTimeoutSeconds", c.bootTimeoutSeconds(), 1, 36000);
        Check.range("sampleIntervalMillis", c.sampleIntervalMillis(), 100, 3_600_000);
        Check.range("kvmProbeTimeoutSeconds", c.kvmProbeTimeoutSeconds(), 0, 3600);
        Check.range("memoryOverheadMiB", c.memoryOverheadMiB(), 64, 1_048_576);
        return new Settings(c.qemuBinary(), c.machine(),
                new QemuVm.Timing(Duration.ofSeconds(c.qmpTimeoutSeconds()), Duration.ofSeconds(c.launchTimeoutSeconds()),
                        Duration.ofSeconds(c.stopTimeoutSeconds()), Duration.ofSeconds(c.bootTimeoutSeconds()),
                        Duration.ofMillis(c.sampleIntervalMillis())),
                Duration.ofSeconds(c.kvmProbeTimeoutSeconds()), c.stateDirectory() == null ? "" : c.stateDirectory().trim(),
                c.cgroups(), c.cgroupParent() == null ? "" : c.cgroupParent().trim(), c.memoryOverheadMiB());
    }
}
