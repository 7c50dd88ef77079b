package org.vireo.hypervisor.sim.engine;

import java.util.Optional;
import org.vireo.api.cpu.CpuQosPolicy;

/**
 * Where the engine gets the policies in force, asked once per scheduling interval, so that a
 * swap takes effect at the next interval. In the OSGi runtime it is backed by core's
 * {@code PolicyService}; the benchmark and the tests pass fixed instances.
 */
@FunctionalInterface
public interface PolicySource {
    /** No policy installed: the engine divides CPU equally among runnable vCPUs. */
    PolicySource NONE = Optional::empty;

    /** @return the active CPU QoS policy, or empty for the engine's equal-share fallback */
    Optional<CpuQosPolicy> cpuPolicy();
}
