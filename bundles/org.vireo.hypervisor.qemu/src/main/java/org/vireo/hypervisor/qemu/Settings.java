package org.vireo.hypervisor.qemu;

import java.time.Duration;
import org.vireo.api.model.Check;

/**
 * The hypervisor's settings as plain values, read from {@link QemuConfig}.
 *
 * @param qemuBinary the QEMU executable
 * @param machine the machine type
 * @param timing the VMs' timeouts and sample interval
 * @param kvmProbeTimeout the KVM probe's timeout (zero: no probe)
 * @param stateDirectory the re-attach index directory, or empty for the bundle's data area
 */
record Settings(String qemuBinary, String machine, QemuVm.Timing timing, Duration kvmProbeTimeout, String stateDirectory) {
    /** Ticks of the sampler: console and banner checks run at every tick. */
    static final Duration TICK = Duration.ofMillis(250);

    static Settings from(QemuConfig c) {
        Check.range("qmpTimeoutSeconds", c.qmpTimeoutSeconds(), 1, 3600);
        Check.range("launchTimeoutSeconds", c.launchTimeoutSeconds(), 1, 3600);
        Check.range("stopTimeoutSeconds", c.stopTimeoutSeconds(), 0, 3600);
        Check.range("bootTimeoutSeconds", c.bootTimeoutSeconds(), 1, 36000);
        Check.range("sampleIntervalMillis", c.sampleIntervalMillis(), 100, 3_600_000);
        Check.range("kvmProbeTimeoutSeconds", c.kvmProbeTimeoutSeconds(), 0, 3600);
        return new Settings(c.qemuBinary(), c.machine(),
                new QemuVm.Timing(Duration.ofSeconds(c.qmpTimeoutSeconds()), Duration.ofSeconds(c.launchTimeoutSeconds()),
                        Duration.ofSeconds(c.stopTimeoutSeconds()), Duration.ofSeconds(c.bootTimeoutSeconds()),
                        Duration.ofMillis(c.sampleIntervalMillis())),
                Duration.ofSeconds(c.kvmProbeTimeoutSeconds()), c.stateDirectory() == null ? "" : c.stateDirectory().trim());
    }
}
