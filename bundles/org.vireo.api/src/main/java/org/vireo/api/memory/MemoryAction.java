package org.vireo.api.memory;

import java.io.Serializable;

/**
 * A strategy's concrete instruction to the hypervisor for one VM.
 *
 * @param vm the VM's name
 * @param operation what to do
 * @param pages how many pages
 * @since 1.0
 */
public record MemoryAction(String vm, MemoryOperation operation, long pages) implements Serializable {
}
