package org.vireo.cgroups;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vireo.api.model.Check;
import org.vireo.api.model.InvalidSpecException;

/**
 * The CPU settings of one VM's cgroup, in both cgroup versions' terms.
 *
 * @param vm the VM's name
 * @param periodUs the bandwidth period in microseconds, {@value #MIN_PERIOD_US} to
 *        {@value #MAX_PERIOD_US} (v1 {@code cpu.cfs_period_us}, second field of v2
 *        {@code cpu.max})
 * @param quotaUs CPU time the VM's threads may use per period, summed over all host CPUs, from
 *        {@value #MIN_QUOTA_US} to {@value #MAX_QUOTA_US}; or {@value #NO_QUOTA} for no ceiling
 *        (v1 {@code cpu.cfs_quota_us}; v2 {@code cpu.max} writes "max")
 * @param shares the v1 {@code cpu.shares}, {@value #MIN_SHARES} to {@value #MAX_SHARES}
 * @param weight the v2 {@code cpu.weight}, {@value #MIN_WEIGHT} to {@value #MAX_WEIGHT};
 *        {@link CgroupCpuMapping#sharesToWeight(long)} of {@code shares}
 * @since 1.0
 */
public record CgroupCpuSettings(String vm, long periodUs, long quotaUs, long shares, long weight)
        implements Serializable {
    /** The period used unless another is asked for (the kernel's default, 100 ms). */
    public static final long DEFAULT_PERIOD_US = 100_000;
    /** The shortest period the kernel accepts (1 ms). */
    public static final long MIN_PERIOD_US = 1_000;
    /** The longest period the kernel accepts (1 s). */
    public static final long MAX_PERIOD_US = 1_000_000;
    /** The quota meaning "no ceiling". */
    public static final long NO_QUOTA = -1;
    /** The smallest quota the kernel accepts (1 ms). */
    public static final long MIN_QUOTA_US = 1_000;
    /** The largest quota the kernel accepts (2^44 - 1 µs). */
    public static final long MAX_QUOTA_US = (1L << 44) - 1;
    /** The smallest v1 {@code cpu.shares}. */
    public static final long MIN_SHARES = 2;
    /** The largest v1 {@code cpu.shares}. */
    public static final long MAX_SHARES = 262_144;
    /** The smallest v2 {@code cpu.weight}. */
    public static final long MIN_WEIGHT = 1;
    /** The largest v2 {@code cpu.weight}. */
    public static final long MAX_WEIGHT = 10_000;

    /** Validates every field against what the kernel accepts. */
    public CgroupCpuSettings {
        Check.name("vm", vm);
        Check.range("periodUs", periodUs, MIN_PERIOD_US, MAX_PERIOD_US);
        if (quotaUs != NO_QUOTA && (quotaUs < MIN_QUOTA_US || quotaUs > MAX_QUOTA_US)) {
            throw new InvalidSpecException("quotaUs", quotaUs,
                    NO_QUOTA + " (no ceiling) or an integer from " + MIN_QUOTA_US + " to " + MAX_QUOTA_US);
        }
        Check.range("shares", shares, MIN_SHARES, MAX_SHARES);
        Check.range("weight", weight, MIN_WEIGHT, MAX_WEIGHT);
    }

    /** @return whether the VM has a CPU ceiling */
    public boolean isCapped() {
        return quotaUs != NO_QUOTA;
    }

    /** @return the v2 {@code cpu.max} line: "QUOTA PERIOD", or "max PERIOD" without a ceiling */
    public String cpuMax() {
        return (isCapped() ? Long.toString(quotaUs) : "max") + " " + periodUs;
    }

    /**
     * @return the cgroup v1 files of the {@code cpu} controller and their contents, in the order
     *         to write them: {@code cpu.cfs_period_us}, {@code cpu.cfs_quota_us}, {@code cpu.shares}
     */
    public Map<String, String> v1() {
        Map<String, String> files = new LinkedHashMap<>(4);
        files.put("cpu.cfs_period_us", Long.toString(periodUs));
        files.put("cpu.cfs_quota_us", Long.toString(quotaUs));
        files.put("cpu.shares", Long.toString(shares));
        return Collections.unmodifiableMap(files);
    }

    /**
     * @return the cgroup v2 files and their contents, in the order to write them:
     *         {@code cpu.max}, {@code cpu.weight}
     */
    public Map<String, String> v2() {
        Map<String, String> files = new LinkedHashMap<>(4);
        files.put("cpu.max", cpuMax());
        files.put("cpu.weight", Long.toString(weight));
        return Collections.unmodifiableMap(files);
    }
}
