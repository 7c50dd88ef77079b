/**
 * CPU QoS policies: how a host's CPU capacity is divided among its VMs at each scheduling
 * interval, and whether a VM's reservation fits a host (admission control).
 * <p>
 * A {@link org.vireo.api.cpu.CpuQosPolicy} is a pure function of a {@link org.vireo.api.cpu.CpuSnapshot};
 * the hypervisor enforces the {@link org.vireo.api.cpu.CpuAllocation} it returns.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.vireo.api.cpu;
