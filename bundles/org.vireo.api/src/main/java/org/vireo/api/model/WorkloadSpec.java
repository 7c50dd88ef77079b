package org.vireo.api.model;

import java.io.Serializable;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a VM does once it runs: a named profile, optionally with parameters that override the
 * profile's figures. The hypervisor turns this into CPU demand and memory writes.
 * <p>
 * Profiles: {@code idle}, {@code web} (bursty CPU, moderate dirtying), {@code db} (steady CPU,
 * high dirty rate over a large working set), {@code batch} (CPU-bound), {@code desktop} (mostly
 * idle, many OS-image pages) and {@code custom} (parameters only).
 * <p>
 * Parameters (all optional, each overrides the profile):
 * <ul>
 * <li>{@code cpu}: mean CPU demand, percent of the VM's vCPU capacity (0..100)</li>
 * <li>{@code peak}: peak CPU demand in percent (at least {@code cpu})</li>
 * <li>{@code ws}: working set in MiB</li>
 * <li>{@code dirty}: memory dirtied, MiB per second</li>
 * <li>{@code zero}, {@code image}, {@code compressible}, {@code random}: content mix of guest
 * memory as fractions (0..1) whose sum is at most 1; what is left over is random data</li>
 * </ul>
 *
 * @param profile one of {@link #PROFILES}
 * @param parameters overrides, keys from {@link #PARAMETERS}
 * @since 1.0
 */
public record WorkloadSpec(String profile, Map<String, Double> parameters) implements Serializable {
    /** The profile names a hypervisor must understand. */
    public static final Set<String> PROFILES = Set.of("idle", "web", "db", "batch", "desktop", "custom");
    /** The parameter keys a workload accepts. */
    public static final Set<String> PARAMETERS =
            Set.of("cpu", "peak", "ws", "dirty", "zero", "image", "compressible", "random");
    /** An idle VM. */
    public static final WorkloadSpec IDLE = new WorkloadSpec("idle", Map.of());

    private static final String FORM = "PROFILE or PROFILE:key=value,... with PROFILE one of "
            + String.join(", ", new TreeMap<>(Map.of("idle", 0, "web", 0, "db", 0, "batch", 0, "desktop", 0, "custom", 0)).keySet());

    /** Validates every field; see the record description for the rules. */
    public WorkloadSpec {
        if (profile == null || !PROFILES.contains(profile)) {
            throw new InvalidSpecException("workload.profile", profile, "one of " + new TreeMap<>(toMap(PROFILES)).keySet());
        }
        parameters = Collections.unmodifiableMap(new TreeMap<>(parameters == null ? Map.of() : parameters));
        double mix = 0;
        for (Map.Entry<String, Double> e : parameters.entrySet()) {
            String key = e.getKey();
            double v = e.getValue() == null ? Double.NaN : e.getValue();
            switch (key) {
                case "cpu", "peak" -> Check.range("workload." + key, v, 0, 100);
                case "ws" -> Check.range("workload.ws", v, 0, VmSpec.MAX_MEMORY_MIB);
                case "dirty" -> Check.range("workload.dirty", v, 0, 1_000_000);
                case "zero", "image", "compressible", "random" -> mix += Check.range("workload." + key, v, 0, 1);
                default -> throw new InvalidSpecException("workload." + key, e.getValue(), "a parameter among " + new TreeMap<>(toMap(PARAMETERS)).keySet());
            }
        }
        if (mix > 1.000001) {
            throw new InvalidSpecException("workload.mix", mix, "fractions zero+image+compressible+random summing to at most 1");
        }
        Double cpu = parameters.get("cpu");
        Double peak = parameters.get("peak");
        if (cpu != null && peak != null && peak < cpu) {
            throw new InvalidSpecException("workload.peak", peak, "at least the mean cpu of " + cpu);
        }
        if ("custom".equals(profile) && parameters.isEmpty()) {
            throw new InvalidSpecException("workload", profile, "custom with parameters, e.g. custom:cpu=50,ws=512,dirty=20");
        }
    }

    private static Map<String, Integer> toMap(Set<String> keys) {
        Map<String, Integer> m = new TreeMap<>();
        keys.forEach(k -> m.put(k, 0));
        return m;
    }

    /**
     * @param key a parameter key
     * @param fallback the profile's own figure
     * @return the override if present, else {@code fallback}
     */
    public double parameter(String key, double fallback) {
        Double v = parameters.get(key);
        return v == null ? fallback : v;
    }

    /**
     * Parses {@code web} or {@code custom:cpu=50,peak=90,ws=512M,dirty=20,image=0.3}.
     * {@code ws} accepts a size ({@code 512M}, {@code 2G}).
     *
     * @param text the text typed
     * @return the workload
     */
    public static WorkloadSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidSpecException("workload", text, FORM);
        }
        String[] head = text.trim().split(":", 2);
        Map<String, Double> params = new TreeMap<>();
        if (head.length == 2 && !head[1].isBlank()) {
            for (String part : head[1].split(",")) {
                String[] kv = part.split("=", 2);
                if (kv.length != 2) {
                    throw new InvalidSpecException("workload", part, "key=value");
                }
                String key = kv[0].trim().toLowerCase(Locale.ROOT);
                String value = kv[1].trim();
                try {
                    params.put(key, key.equals("ws") ? Units.parseMiB("workload.ws", value) : Double.parseDouble(value));
                } catch (NumberFormatException e) {
                    throw new InvalidSpecException("workload." + key, value, "a number");
                }
            }
        }
        return new WorkloadSpec(head[0].trim().toLowerCase(Locale.ROOT), params);
    }

    /** @return the shell form of this workload, which {@link #parse} reads back */
    public String toText() {
        if (parameters.isEmpty()) {
            return profile;
        }
        StringBuilder sb = new StringBuilder(profile).append(':');
        parameters.forEach((k, v) -> sb.append(k).append('=').append(v % 1 == 0 ? String.valueOf(v.longValue()) : String.valueOf(v)).append(','));
        sb.setLength(sb.length() - 1);
        return sb.toString();
    }
}
