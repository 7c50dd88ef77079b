package org.vireo.api.model;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A CPU model: a name and the instruction-set features it offers to guests. Migration between
 * hosts of different models is safe only when the destination offers every feature the guest
 * was started with (CPU compatibility mode runs guests on the common baseline).
 *
 * @param name the model name, e.g. {@code qemu64}, {@code Westmere}, {@code Haswell}
 * @param features the feature flags, lower case
 * @since 1.0
 */
public record CpuModel(String name, Set<String> features) implements Serializable {
    private static final Set<String> BASE = Set.of("fpu", "tsc", "cx8", "cmov", "mmx", "sse", "sse2", "syscall", "nx", "lm");
    private static final Map<String, Set<String>> KNOWN = Map.of(
            "qemu64", union(BASE, Set.of("pni", "cx16", "lahf_lm")),
            "Nehalem", union(BASE, Set.of("pni", "cx16", "lahf_lm", "ssse3", "sse4_1", "sse4_2", "popcnt")),
            "Westmere", union(BASE, Set.of("pni", "cx16", "lahf_lm", "ssse3", "sse4_1", "sse4_2", "popcnt", "aes", "pclmulqdq")),
            "Haswell", union(BASE, Set.of("pni", "cx16", "lahf_lm", "ssse3", "sse4_1", "sse4_2", "popcnt", "aes", "pclmulqdq",
                    "avx", "avx2", "fma", "bmi1", "bmi2", "movbe", "f16c", "rdrand")),
            "Skylake-Client", union(BASE, Set.of("pni", "cx16", "lahf_lm", "ssse3", "sse4_1", "sse4_2", "popcnt", "aes", "pclmulqdq",
                    "avx", "avx2", "fma", "bmi1", "bmi2", "movbe", "f16c", "rdrand", "rdseed", "adx", "xsavec")),
            "EPYC", union(BASE, Set.of("pni", "cx16", "lahf_lm", "ssse3", "sse4_1", "sse4_2", "popcnt", "aes", "pclmulqdq",
                    "avx", "avx2", "fma", "bmi1", "bmi2", "movbe", "f16c", "rdrand", "rdseed", "adx", "sha_ni", "sse4a")));

    /** The model used when a host names none. */
    public static final CpuModel DEFAULT = known("qemu64");

    /** Validates every field; see the record description for the rules. */
    public CpuModel {
        Check.name("cpuModel.name", name);
        features = Collections.unmodifiableSet(new TreeSet<>(features == null ? Set.of() : features));
    }

    /**
     * @param name one of {@link #knownNames()}
     * @return the model with its documented feature set
     * @throws InvalidSpecException for an unknown name
     */
    public static CpuModel known(String name) {
        Set<String> f = KNOWN.get(name);
        if (f == null) {
            throw new InvalidSpecException("cpuModel", name, "one of " + knownNames());
        }
        return new CpuModel(name, f);
    }

    /** @return the names of the models whose feature sets Vireo knows */
    public static Set<String> knownNames() {
        return new TreeSet<>(KNOWN.keySet());
    }

    /**
     * @param other another model
     * @return whether a guest started on {@code other} can run here (this offers all its features)
     */
    public boolean canRun(CpuModel other) {
        return features.containsAll(other.features);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> s = new TreeSet<>(a);
        s.addAll(b);
        return s;
    }
}
