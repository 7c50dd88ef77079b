/**
 * Memory overcommit: the strategies that take memory back from guests (page sharing,
 * ballooning, swapping, ...) and the reclaim policy that decides, from a host's free memory,
 * which strategies run and which VMs give memory back.
 * <p>
 * Both are pure decisions over a {@link org.vireo.api.memory.MemorySnapshot}; the hypervisor
 * owns guest pages and carries out the {@link org.vireo.api.memory.MemoryAction}s.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.vireo.api.memory;
