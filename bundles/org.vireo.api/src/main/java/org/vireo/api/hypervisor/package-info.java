/**
 * The hypervisor SPI: the mechanism that runs VMs on hosts.
 * <p>
 * A {@link org.vireo.api.hypervisor.Hypervisor} drives any number of hosts of one technology
 * (the in-process {@code sim}, real guests under {@code qemu}); a
 * {@link org.vireo.api.hypervisor.HypervisorType} describes one architecture (hosted,
 * bare-metal, hybrid) and its overheads. Both are registered as services named by the
 * {@code vireo.name} property. Every call takes and returns plain serializable values so that a
 * host's hypervisor can live in another JVM.
 * <p>
 * Hypervisors are mechanism: at each scheduling interval they take a snapshot of a host, ask
 * the active policies for decisions (through {@code org.vireo.api.inventory.PolicyService}) and
 * apply them.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.vireo.api.hypervisor;
