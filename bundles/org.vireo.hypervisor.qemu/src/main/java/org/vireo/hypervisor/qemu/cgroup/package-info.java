/**
 * The cgroup file system as the QEMU hypervisor uses it: which version the machine mounts
 * ({@link org.vireo.hypervisor.qemu.cgroup.CgroupTree#detect}), one group per VM below
 * {@code vireo-ID/HOST/VM} under the runtime's own cgroup, and the files written and read in it
 * ({@link org.vireo.hypervisor.qemu.cgroup.VmCgroup}). Everything is rooted at a directory that
 * tests replace by a fake tree.
 * <p>
 * Private: nothing here is exported.
 */
package org.vireo.hypervisor.qemu.cgroup;
