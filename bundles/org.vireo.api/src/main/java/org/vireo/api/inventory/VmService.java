package org.vireo.api.inventory;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads the VMs of the inventory.
 *
 * @since 1.0
 */
@ProviderType
public interface VmService {
    /** @return every VM, by name */
    List<VmView> vms();

    /**
     * @param name a VM's name
     * @return the VM, if it exists
     */
    Optional<VmView> findVm(String name);

    /**
     * @param name a VM's name
     * @return the VM
     * @throws NotFoundException if it does not exist
     */
    VmView vm(String name);

    /**
     * @return definitions found in the data folder that could not be read (corrupt
     *         {@code vm.json}, unknown format version), one line each: path and reason. They are
     *         skipped, never deleted.
     */
    List<String> loadProblems();
}
