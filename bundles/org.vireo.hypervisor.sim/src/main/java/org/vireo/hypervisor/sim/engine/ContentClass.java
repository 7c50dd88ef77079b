package org.vireo.hypervisor.sim.engine;

import java.util.Locale;

/** What a guest page holds, which decides whether it can be shared or compressed. */
public enum ContentClass {
    /** All zero bytes: identical to the host's zero page. */
    ZERO,
    /** Page {@code i} of an OS image: identical in every VM booted from that image. */
    IMAGE,
    /** Data unique to the VM that compresses well (text, sparse structures). */
    COMPRESSIBLE,
    /** Data unique to the VM that does not compress (encrypted, already compressed). */
    RANDOM;

    private static final ContentClass[] VALUES = values();

    /** @return the key used in {@code MemoryFigures.byContent} */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ContentClass of(int ordinal) {
        return VALUES[ordinal];
    }
}
