package org.vireo.api.inventory;

import org.osgi.annotation.versioning.ProviderType;
import org.vireo.api.model.CpuQos;
import org.vireo.api.model.MemoryQos;
import org.vireo.api.model.VmSpec;

/**
 * Changes the VMs of the inventory. Every change is written to the VM's {@code vm.json}
 * atomically before it is acknowledged. An operation that fails changes nothing.
 *
 * @since 1.0
 */
@ProviderType
public interface VmAdminService extends VmService {
    /**
     * Defines a VM: creates its directory, {@code vm.json} and disk files.
     *
     * @param spec the definition
     * @param host the host to place it on, or {@code null} to let core choose the host with the
     *        most free memory
     * @return the VM, {@code DEFINED}
     * @throws ConflictException if the name is taken
     * @throws NotFoundException if the host or a datastore does not exist
     */
    VmView create(VmSpec spec, String host);

    /**
     * Starts a {@code DEFINED}, {@code STOPPED} or {@code CRASHED} VM after admission control.
     *
     * @param name the VM's name
     * @return the VM, {@code STARTING} or {@code RUNNING}
     * @throws AdmissionException if it does not fit its host
     */
    VmView start(String name);

    /**
     * @param name the VM's name
     * @param force power off instead of a guest shutdown
     * @return the VM, {@code STOPPED}
     */
    VmView stop(String name, boolean force);

    /**
     * @param name the VM's name
     * @return the VM, {@code PAUSED}
     */
    VmView pause(String name);

    /**
     * @param name the VM's name
     * @return the VM, {@code RUNNING}
     */
    VmView resume(String name);

    /**
     * Fault injection: crashes one VM; its neighbours are not affected.
     *
     * @param name the VM's name
     * @return the VM, {@code CRASHED}
     */
    VmView crash(String name);

    /**
     * Deletes a VM that holds no resources, with its directory and disks (never a base image
     * that linked clones reference, nor a shared volume).
     *
     * @param name the VM's name
     * @throws IllegalTransitionException if it holds resources (only {@code DEFINED},
     *         {@code STOPPED} and {@code CRASHED} VMs can be destroyed)
     * @throws ConflictException if linked clones reference its disks
     */
    void destroy(String name);

    /**
     * Changes a VM's CPU QoS; for a running VM after admission control, effective from the
     * next scheduling interval.
     *
     * @param name the VM's name
     * @param qos the new settings
     * @return the VM
     */
    VmView setCpuQos(String name, CpuQos qos);

    /**
     * Changes a VM's memory QoS; for a running VM after admission control.
     *
     * @param name the VM's name
     * @param qos the new settings
     * @return the VM
     */
    VmView setMemoryQos(String name, MemoryQos qos);

    /**
     * Copies a stopped VM's directory (definition and disks) to {@code directory}, which must
     * not exist yet or be empty.
     *
     * @param name the VM's name
     * @param directory the target directory
     * @return the absolute path written
     * @throws IllegalTransitionException unless the VM is {@code DEFINED} or {@code STOPPED}
     * @throws ConflictException if the directory is not empty or lies inside the data folder
     */
    String exportVm(String name, String directory);

    /**
     * Imports an exported VM directory as a new VM, placed on its recorded host if that exists,
     * else as {@link #create} would place it.
     *
     * @param directory the exported directory
     * @param newName the name to give it, or {@code null} to keep its own
     * @return the imported VM, {@code DEFINED}
     */
    VmView importVm(String directory, String newName);

    /**
     * Clones a stopped VM. A full clone copies every disk; a linked clone creates copy-on-write
     * disks that reference the source's disks, which then can no longer be destroyed while the
     * clone exists.
     *
     * @param source the VM to clone
     * @param newName the clone's name
     * @param linked whether to link instead of copy
     * @return the clone, {@code DEFINED}, on the source's host
     * @throws IllegalTransitionException unless the source is {@code DEFINED} or {@code STOPPED}
     * @throws ConflictException if the new name is taken
     */
    VmView cloneVm(String source, String newName, boolean linked);
}
