/**
 * The validated value types of Vireo: host and VM definitions, their QoS settings, disks, NICs,
 * workloads and the VM lifecycle states.
 * <p>
 * Every record validates in its canonical constructor and rejects a bad value with an
 * {@link org.vireo.api.model.InvalidSpecException} naming the field, the value and what is
 * allowed. All types are immutable and {@link java.io.Serializable}, so they travel unchanged
 * between a manager and hosts in other JVMs.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.vireo.api.model;
