package org.vireo.hypervisor.qemu;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the QEMU hypervisor (PID {@code org.vireo.hypervisor.qemu}). */
@ObjectClassDefinition(name = "Vireo QEMU hypervisor", description = "Runs each VM as one QEMU process, driven through QMP.")
public @interface QemuConfig {
    /** @return the QEMU executable */
    @AttributeDefinition(description = "QEMU executable: a name on the PATH or an absolute path")
    String qemuBinary() default "qemu-system-x86_64";

    /** @return the machine type */
    @AttributeDefinition(description = "QEMU machine type (q35 boots the Vireo guest in 2-4 s under TCG)")
    String machine() default "q35";

    /** @return the QMP reply timeout */
    @AttributeDefinition(description = "How long a QMP command may take to answer, seconds")
    int qmpTimeoutSeconds() default 10;

    /** @return how long QEMU may take to open its QMP socket */
    @AttributeDefinition(description = "How long a new QEMU process may take to answer on its QMP socket, seconds")
    int launchTimeoutSeconds() default 20;

    /** @return how long a graceful stop waits for the guest */
    @AttributeDefinition(description = "How long a graceful stop waits for the guest to power off before QEMU is quit, seconds")
    int stopTimeoutSeconds() default 30;

    /** @return how long a guest may boot before QMP's word is taken */
    @AttributeDefinition(description = "How long a guest may take to print its banner before the VM is reported RUNNING on QMP's word, seconds")
    int bootTimeoutSeconds() default 120;

    /** @return the sampling interval */
    @AttributeDefinition(description = "How often figures are read from /proc, cgroups and QMP and the CPU and memory policies are asked, milliseconds")
    int sampleIntervalMillis() default 1000;

    /** @return the KVM probe's timeout */
    @AttributeDefinition(description = "How long the KVM boot probe waits for the guest's banner, seconds; 0 skips the probe (KVM is then not used)")
    int kvmProbeTimeoutSeconds() default 15;

    /** @return whether QoS is enforced through cgroups */
    @AttributeDefinition(description = "Enforce CPU QoS (cgroup cpu bandwidth and shares/weight) and a memory limit per VM through"
            + " one cgroup per VM, where the cgroup file system is writable; false runs guests unconfined")
    boolean cgroups() default true;

    /** @return the parent of the hosts' cgroups */
    @AttributeDefinition(description = "The cgroup (a path from the hierarchy's root, e.g. /machine/vireo) below which each host's"
            + " group HOST/VM is created; empty: a group vireo-ID below the runtime's own cgroup, ID being 8 hex digits of a hash"
            + " of the path of the index of QEMU processes (stateDirectory, by default in the vireo.data folder), so runtimes with"
            + " different data folders never share a group")
    String cgroupParent() default "";

    /** @return QEMU's memory overhead */
    @AttributeDefinition(description = "Memory a QEMU process may use beyond its guest's memory, MiB: the VM's memory cgroup limit"
            + " is the guest's memory plus this (high enough that the kernel never kills a guest on a host without swap); hypervisor"
            + " swap, where the host has swap space, lowers it for a while, never below the VM's reservation plus this")
    long memoryOverheadMiB() default 256;

    /** @return where the re-attach index lives */
    @AttributeDefinition(description = "Directory of the index of running QEMU processes (empty: qemu-running in the vireo.data folder)")
    String stateDirectory() default "";
}
