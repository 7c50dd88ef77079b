/**
 * The simulation engine, plain Java without OSGi: a virtual clock and event queue
 * ({@link org.vireo.hypervisor.sim.engine.SimEngine}), hosts that divide CPU each scheduling
 * interval ({@link org.vireo.hypervisor.sim.engine.CpuScheduler}), workload profiles
 * ({@link org.vireo.hypervisor.sim.engine.WorkloadProfile}) and guest memory at page granularity
 * ({@link org.vireo.hypervisor.sim.engine.GuestMemory}). Not exported: the bundle's component and
 * the benchmark use it directly.
 */
package org.vireo.hypervisor.sim.engine;
