/**
 * The {@code qemu} hypervisor: real guests, one QEMU process per VM.
 * <p>
 * {@link org.vireo.hypervisor.qemu.QemuHypervisor} is the service; per host a
 * {@code QemuHost} keeps the VMs and their events; per VM a {@code QemuVm} owns the process, its
 * QMP connection and its figures. {@link org.vireo.hypervisor.qemu.QemuCommandLine} builds the
 * command line, {@link org.vireo.hypervisor.qemu.GuestLocator} finds the guest that
 * {@code guest/build.sh} built, {@code KvmProbe} decides whether KVM can be used by booting it.
 * <p>
 * A VM's directory holds, next to its disks: {@code console.log} (the serial console, also shown
 * by {@code vm:console}), {@code console.log.1} (the previous run's), {@code qemu.log} (QEMU's own
 * output), and while QEMU runs {@code qmp.sock}, {@code qemu.pid} and {@code qemu.json} (pid, start
 * time, socket and definition, for re-attaching after a restart of the runtime). The directory is
 * 700 and every file in it 600. An index under the data folder ({@code qemu-running/HOST/VM})
 * lists the VM directories that may hold a live QEMU.
 * <p>
 * QoS is enforced per host by {@code HostControl}, once per sample interval: the active CPU
 * policy decides on a snapshot of measured demand ({@code DemandEstimator}) and its decision is
 * written to one cgroup per VM ({@code CpuControl}, {@code org.vireo.cgroups.CgroupCpuMapping},
 * {@code cgroup.CgroupTree}: {@code vireo-ID/HOST/VM} below the runtime's own cgroup, v1 or v2);
 * the reclaim policy and the memory strategies decide on the memory figures read back, and their
 * decisions become balloon targets (QMP {@code balloon}), the KSM scan pace and, where the
 * machine has swap space ({@code /proc/swaps}), lower memory cgroup limits that push guest memory
 * to swap ({@code MemoryControl}, {@code KsmControl}, {@code SwapControl}, {@code HostSwap}:
 * v1 {@code memory.limit_in_bytes}, v2 {@code memory.high}). Each QEMU process is put in its
 * cgroup before its vCPUs first run ({@code -S}, then {@code cont}), with a memory limit of the
 * guest's memory plus QEMU's overhead written afresh at every start; a stopped VM or a detached
 * host leaves no lowered limit behind. The figures reported are read back: resident and swapped
 * memory from {@code /proc/PID/status} ({@code VmRSS}, {@code VmSwap}), never predicted.
 * <p>
 * Private: nothing here is exported.
 */
package org.vireo.hypervisor.qemu;
