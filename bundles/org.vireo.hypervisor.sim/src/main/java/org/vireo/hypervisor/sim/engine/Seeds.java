package org.vireo.hypervisor.sim.engine;

import java.nio.charset.StandardCharsets;

/** Derivation of per-VM random streams from the engine's master seed, stable across JVMs. */
public final class Seeds {
    private Seeds() {
    }

    /**
     * SplitMix64's finalizer: a bijective scramble of 64 bits.
     *
     * @param z any value
     * @return its mix
     */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /**
     * @param master the engine's seed
     * @param name a VM's name
     * @return the seed of that VM's random stream: depends on nothing else, so a VM's figures do
     *         not change when neighbours come or go
     */
    public static long of(long master, String name) {
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return mix(master ^ mix(h));
    }
}
