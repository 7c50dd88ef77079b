package org.vireo.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.vireo.api.cpu.CpuQosPolicy;
import org.vireo.cpu.reservation.ReservationSharesPolicy;

/**
 * The benchmark: generates N hosts and M VMs with mixed workloads, runs D simulated hours on
 * Vireo's sim engine and then the comparable scenario on CloudSim Plus, in the same JVM, and
 * prints wall time, simulated seconds per wall second and peak heap of each side by side.
 * <pre>
 * java -Xmx4g -jar bench/target/vireo-bench.jar --hosts 500 --vms 10000 --hours 24
 * options: --hosts N (500) --vms M (10000) --hours D (24) --interval SECONDS (60) --seed S (1)
 *          --threads T (available processors) --policy reservation|none (reservation)
 *          --memory idle-tax|none (idle-tax) --no-cloudsim
 * </pre>
 */
public final class Benchmark {
    private static final double TARGET_WALL_SECONDS = 60;
    private static final double TARGET_SPEEDUP = 5;

    private Benchmark() {
    }

    /**
     * @param args the options above
     */
    public static void main(String[] args) {
        try {
            run(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void run(String[] args) {
        Map<String, String> o = options(args);
        int hosts = (int) Math.min(Integer.MAX_VALUE, positive(o, "hosts", 500));
        int vms = (int) Math.min(Integer.MAX_VALUE, positive(o, "vms", 10_000));
        long hours = positive(o, "hours", 24);
        long intervalMillis = Math.multiplyExact(positive(o, "interval", 60), 1000L);
        long seed;
        try {
            seed = Long.parseLong(o.getOrDefault("seed", "1"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seed: '" + o.get("seed") + "' is not allowed; expected a whole number");
        }
        int threads = (int) Math.min(256, positive(o, "threads", Runtime.getRuntime().availableProcessors()));
        String policyName = o.getOrDefault("policy", "reservation");
        boolean cloudsim = !o.containsKey("no-cloudsim");
        String memoryName = o.getOrDefault("memory", "idle-tax");
        MemoryPolicies memory = switch (memoryName) {
            case "idle-tax" -> MemoryPolicies.defaults();
            case "none" -> MemoryPolicies.NONE;
            default -> throw new IllegalArgumentException("--memory: '" + memoryName + "' is not allowed; expected idle-tax or none");
        };
        CpuQosPolicy policy = switch (policyName) {
            case "reservation" -> new ReservationSharesPolicy();
            case "none" -> null;
            default -> throw new IllegalArgumentException("--policy: '" + policyName + "' is not allowed; expected reservation or none");
        };

        BenchScenario scenario = BenchScenario.generate(hosts, vms, seed);
        double simSeconds = hours * 3600.0;
        System.out.printf(Locale.ROOT, "scenario: %d hosts (64 cores x 2400 MHz, 128 GiB; hybrid/baremetal/hosted), %d VMs"
                + " (web/desktop/db/idle/batch), %d simulated hours, scheduling interval %d s (coarser than the runtime's 1 s"
                + " default: %d intervals), seed %d, %d threads, max heap %d MiB%n",
                hosts, vms, hours, intervalMillis / 1000, (long) (simSeconds * 1000 / intervalMillis), seed, threads,
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.println("CPU QoS on Vireo: " + (policy == null
                ? "none (engine's equal-share fallback)" : "org.vireo.cpu.reservation ReservationSharesPolicy (reservations, limits, shares)"));
        System.out.println("memory reclaim on Vireo: " + (memory.reclaim() == null ? "none"
                : "org.vireo.memory.reclaim idle-tax policy with the sharing, balloon and swap strategies (default settings),"
                        + " every scheduling interval on every host"));

        System.err.println("running Vireo sim ...");
        VireoRun.Result v = VireoRun.run(scenario, hours, intervalMillis, seed, threads, policy, memory);
        System.gc();
        CloudSimRun.Result c = null;
        if (cloudsim) {
            System.err.println("running CloudSim Plus ...");
            c = CloudSimRun.run(scenario, hours, intervalMillis, seed);
        }

        System.out.println();
        System.out.printf(Locale.ROOT, "%-34s %18s %18s%n", "", "Vireo sim", cloudsim ? "CloudSim Plus 8.5.7" : "(not run)");
        row("wall time, placement + execution", String.format(Locale.ROOT, "%.2f s", v.wallMillis() / 1000.0),
                c == null ? "-" : String.format(Locale.ROOT, "%.2f s", c.wallMillis() / 1000.0));
        row("CPU time (all threads)", String.format(Locale.ROOT, "%.2f s", v.cpuMillis() / 1000.0),
                c == null ? "-" : String.format(Locale.ROOT, "%.2f s", c.cpuMillis() / 1000.0));
        row("  of which placement", String.format(Locale.ROOT, "%.2f s", v.placeMillis() / 1000.0), "-");
        row("simulated s per wall s", String.format(Locale.ROOT, "%.0f", simSeconds / (v.wallMillis() / 1000.0)),
                c == null ? "-" : String.format(Locale.ROOT, "%.0f", simSeconds / (c.wallMillis() / 1000.0)));
        row("VM-intervals per wall s", String.format(Locale.ROOT, "%.3g", (double) v.intervals() * (vms - v.unplaced())
                / (v.wallMillis() / 1000.0)), c == null ? "-" : String.format(Locale.ROOT, "%.3g",
                (double) v.intervals() * c.vmsCreated() / (c.wallMillis() / 1000.0)));
        row("peak heap (sampled)", mib(v.sampledPeakHeap()), c == null ? "-" : mib(c.sampledPeakHeap()));
        row("peak heap (sum of pool peaks)", mib(v.poolPeakHeap()), c == null ? "-" : mib(c.poolPeakHeap()));
        row("garbage collections", String.valueOf(v.collections()), c == null ? "-" : String.valueOf(c.collections()));
        row("VMs placed", String.valueOf(vms - v.unplaced()), c == null ? "-" : String.valueOf(c.vmsCreated()));
        row("CPU work done (MHz·s ~ MI)", String.format(Locale.ROOT, "%.4g", v.workMhzSeconds()),
                c == null ? "-" : String.format(Locale.ROOT, "%.4g", c.workMi()));
        row("guest memory resident / dirty", (v.residentMiB() >> 10) + " / " + (v.dirtyMiB() >> 10) + " GiB", "not modelled");
        row("saved by sharing / ballooned / swapped", (v.sharedSavedMiB() >> 10) + " / " + (v.balloonedMiB() >> 10) + " / "
                + (v.swappedMiB() >> 10) + " GiB", "not modelled");
        System.out.println();
        System.out.println("Vireo sim models:");
        VireoRun.models(memory.reclaim() != null).stream().filter(l -> !l.isEmpty()).forEach(l -> System.out.println("  " + l));
        if (cloudsim) {
            System.out.println("CloudSim Plus models:");
            CloudSimRun.models().forEach(l -> System.out.println("  " + l));
        }
        System.out.println();
        double wall = v.wallMillis() / 1000.0;
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        System.out.printf(Locale.ROOT, "machine: %d processors, load average %.1f at the end (other processes share the CPU when"
                + " it exceeds the processor count)%n", Runtime.getRuntime().availableProcessors(), load);
        System.out.printf(Locale.ROOT, "target: %d VMs / %d hosts / %d h in <= %.0f s wall within the heap: %.2f s, peak %s -> %s%n",
                vms, hosts, hours, TARGET_WALL_SECONDS, wall, mib(v.sampledPeakHeap()), wall <= TARGET_WALL_SECONDS ? "met" : "NOT met");
        if (c != null) {
            double speedup = (double) c.wallMillis() / Math.max(1, v.wallMillis());
            double cpuSpeedup = (double) c.cpuMillis() / Math.max(1, v.cpuMillis());
            System.out.printf(Locale.ROOT, "target: >= %.0fx faster than CloudSim Plus: %.1fx in wall time, %.1fx in CPU time -> %s%n",
                    TARGET_SPEEDUP, speedup, cpuSpeedup, speedup >= TARGET_SPEEDUP ? "met" : "NOT met");
        }
    }

    private static void row(String name, String vireo, String cloudsim) {
        System.out.printf(Locale.ROOT, "%-34s %18s %18s%n", name, vireo, cloudsim);
    }

    private static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }

    private static final String USAGE = "options are --hosts N --vms M --hours D --interval SECONDS --seed S --threads T"
            + " --policy reservation|none --memory idle-tax|none --no-cloudsim";
    private static final Set<String> VALUED = Set.of("hosts", "vms", "hours", "interval", "seed", "threads", "policy", "memory");

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String key = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (key == null || !key.equals("no-cloudsim") && !VALUED.contains(key)) {
                throw new IllegalArgumentException("unknown argument '" + args[i] + "'; " + USAGE);
            }
            if (key.equals("no-cloudsim")) {
                o.put(key, "true");
            } else if (i + 1 < args.length) {
                o.put(key, args[++i]);
            } else {
                throw new IllegalArgumentException("option --" + key + " needs a value; " + USAGE);
            }
        }
        return o;
    }

    /** @return the option's value as a positive whole number, or its default */
    private static long positive(Map<String, String> o, String key, long fallback) {
        String value = o.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + key + ": '" + value + "' is not allowed; expected a whole number above 0");
    }
}
