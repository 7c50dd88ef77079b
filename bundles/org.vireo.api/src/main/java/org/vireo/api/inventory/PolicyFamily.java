package org.vireo.api.inventory;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.vireo.api.cpu.CpuQosPolicy;
import org.vireo.api.hypervisor.Hypervisor;
import org.vireo.api.hypervisor.HypervisorType;
import org.vireo.api.io.IoBackend;
import org.vireo.api.memory.MemoryReclaimPolicy;
import org.vireo.api.memory.MemoryReuseStrategy;
import org.vireo.api.migration.MigrationStrategy;
import org.vireo.api.model.InvalidSpecException;

/**
 * The SPI families and how their implementations are chosen.
 *
 * @since 1.0
 */
public enum PolicyFamily {
    /** CPU QoS: one active, chosen by name. */
    CPU("cpu", CpuQosPolicy.class, true),
    /** Memory reclaim policy: one active, chosen by name. */
    MEMORY("memory", MemoryReclaimPolicy.class, true),
    /** Memory reuse strategies: every installed one is available to the reclaim policy. */
    MEMORY_STRATEGY("memory-strategy", MemoryReuseStrategy.class, false),
    /** Split-driver backends: every installed one serves its device kind. */
    IO("io", IoBackend.class, false),
    /** Migration strategy: one active, chosen by name. */
    MIGRATION("migration", MigrationStrategy.class, true),
    /** Hypervisors: every installed one drives the hosts that name it. */
    HYPERVISOR("hypervisor", Hypervisor.class, false),
    /** Hypervisor types: every installed one serves the hosts of its kind. */
    HYPERVISOR_TYPE("hypervisor-type", HypervisorType.class, false);

    private final String id;
    private final Class<?> spi;
    private final boolean single;

    PolicyFamily(String id, Class<?> spi, boolean single) {
        this.id = id;
        this.spi = spi;
        this.single = single;
    }

    /** @return the name used at the shell and in configuration, e.g. {@code cpu} */
    public String id() {
        return id;
    }

    /** @return the SPI interface implementations register under */
    public Class<?> spi() {
        return spi;
    }

    /**
     * @return {@code true} when exactly one implementation is active (chosen by name, falling
     *         back to the highest-ranked); {@code false} when every installed one is in use
     */
    public boolean isSingleActive() {
        return single;
    }

    /**
     * @param text a family id such as {@code cpu}
     * @return the family
     * @throws InvalidSpecException naming the known families
     */
    public static PolicyFamily parse(String text) {
        for (PolicyFamily f : values()) {
            if (f.id.equalsIgnoreCase(text == null ? "" : text.trim())) {
                return f;
            }
        }
        throw new InvalidSpecException("family", text, "one of "
                + Arrays.stream(values()).map(PolicyFamily::id).collect(Collectors.joining(", ")));
    }
}
