package org.vireo.hypervisor.sim.engine;

import java.util.Locale;
import org.vireo.api.model.WorkloadSpec;

/**
 * The figures of a workload, resolved from a {@link WorkloadSpec} against a VM's memory size.
 * <p>
 * The built-in profiles (CPU in percent of the VM's vCPU capacity; working set in percent of its
 * memory; content mix as fractions of guest memory, the rest random):
 * <table>
 * <caption>profiles</caption>
 * <tr><th>profile</th><th>cpu mean / peak</th><th>CPU pattern</th><th>working set</th><th>dirty MiB/s</th>
 * <th>zero / image / compressible</th><th>I/O (disk r/w MiB/s, net rx/tx Mbit/s)</th></tr>
 * <tr><td>idle</td><td>2 / 5</td><td>bursty</td><td>5%</td><td>0.1</td><td>0.70 / 0.20 / 0.05</td><td>0 / 0, 0.1 / 0.1</td></tr>
 * <tr><td>web</td><td>25 / 90</td><td>bursty</td><td>25%</td><td>5</td><td>0.30 / 0.30 / 0.25</td><td>2 / 1, 50 / 200</td></tr>
 * <tr><td>db</td><td>60 / 85</td><td>steady</td><td>60%</td><td>40</td><td>0.10 / 0.10 / 0.40</td><td>40 / 20, 20 / 20</td></tr>
 * <tr><td>batch</td><td>100 / 100</td><td>steady</td><td>30%</td><td>10</td><td>0.20 / 0.10 / 0.30</td><td>10 / 5, 1 / 1</td></tr>
 * <tr><td>desktop</td><td>5 / 60</td><td>bursty</td><td>15%</td><td>1</td><td>0.25 / 0.55 / 0.15</td><td>0.5 / 0.2, 1 / 1</td></tr>
 * <tr><td>custom</td><td>10 / 10</td><td>bursty if peak &gt; cpu</td><td>10%</td><td>0</td><td>0.50 / 0.20 / 0.20</td><td>none</td></tr>
 * </table>
 * A bursty workload alternates between a base of half its mean and its peak, with the burst
 * probability that keeps the mean; a steady one draws uniformly within ±10% of its mean, capped
 * at its peak. Parameters override a profile: {@code cpu}, {@code peak}, {@code ws} (MiB),
 * {@code dirty} (MiB/s); if any of {@code zero}, {@code image}, {@code compressible},
 * {@code random} is given the mix is exactly those (missing ones 0) and the rest is random.
 *
 * @param name the profile name
 * @param cpuMean mean CPU demand, 0..1 of the VM's vCPU capacity
 * @param cpuPeak peak CPU demand, 0..1, at least the mean
 * @param bursty whether demand alternates base/peak rather than varying around the mean
 * @param workingSetPages pages the workload writes, within the VM's memory
 * @param dirtyPagesPerSecond pages written per second at full CPU demand
 * @param zero fraction of memory that is zero at boot
 * @param image fraction holding OS-image pages
 * @param compressible fraction holding compressible data
 * @param diskReadMiBps disk reads at full activity
 * @param diskWriteMiBps disk writes at full activity
 * @param netRxMbps network received at full activity
 * @param netTxMbps network sent at full activity
 */
public record WorkloadProfile(String name, double cpuMean, double cpuPeak, boolean bursty, long workingSetPages,
        double dirtyPagesPerSecond, double zero, double image, double compressible, double diskReadMiBps,
        double diskWriteMiBps, double netRxMbps, double netTxMbps) {
    private static final int PAGES_PER_MIB = 256;

    /** @return the fraction of memory holding random data at boot */
    public double random() {
        return Math.max(0, 1 - zero - image - compressible);
    }

    /** @return the fraction of written pages whose new content compresses */
    public double writtenCompressible() {
        double data = compressible + random();
        return data <= 0 ? 0.5 : compressible / data;
    }

    /**
     * @param spec the VM's workload
     * @param memoryPages the VM's memory in pages
     * @return the resolved figures
     */
    public static WorkloadProfile of(WorkloadSpec spec, long memoryPages) {
        // cpu%, peak%, bursty, ws%, dirty MiB/s, zero, image, compressible, disk r, disk w, net rx, net tx
        double[] f = switch (spec.profile()) {
            case "idle" -> new double[] {2, 5, 1, 5, 0.1, 0.70, 0.20, 0.05, 0, 0, 0.1, 0.1};
            case "web" -> new double[] {25, 90, 1, 25, 5, 0.30, 0.30, 0.25, 2, 1, 50, 200};
            case "db" -> new double[] {60, 85, 0, 60, 40, 0.10, 0.10, 0.40, 40, 20, 20, 20};
            case "batch" -> new double[] {100, 100, 0, 30, 10, 0.20, 0.10, 0.30, 10, 5, 1, 1};
            case "desktop" -> new double[] {5, 60, 1, 15, 1, 0.25, 0.55, 0.15, 0.5, 0.2, 1, 1};
            default -> new double[] {10, 10, 1, 10, 0, 0.50, 0.20, 0.20, 0, 0, 0, 0};
        };
        double cpu = spec.parameter("cpu", f[0]);
        double peak = Math.max(cpu, spec.parameter("peak", f[1]));
        long ws = spec.parameters().containsKey("ws")
                ? (long) (spec.parameter("ws", 0) * PAGES_PER_MIB)
                : (long) (memoryPages * f[3] / 100);
        ws = Math.max(1, Math.min(memoryPages, ws));
        double dirty = spec.parameter("dirty", f[4]) * PAGES_PER_MIB;
        double zero = f[5];
        double image = f[6];
        double compressible = f[7];
        if (spec.parameters().keySet().stream().anyMatch(k -> k.equals("zero") || k.equals("image")
                || k.equals("compressible") || k.equals("random"))) {
            zero = spec.parameter("zero", 0);
            image = spec.parameter("image", 0);
            compressible = spec.parameter("compressible", 0);
        }
        return new WorkloadProfile(spec.profile().toLowerCase(Locale.ROOT), cpu / 100, peak / 100, f[2] != 0, ws, dirty,
                zero, image, compressible, f[8], f[9], f[10], f[11]);
    }
}
