package org.vireo.hypervisor.type.hybrid;

import java.util.Locale;
import org.osgi.service.component.annotations.Component;
import org.vireo.api.hypervisor.HypervisorType;
import org.vireo.api.hypervisor.TypeProfile;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;

/**
 * Hybrid, KVM-style: a kernel module turns the host kernel into the hypervisor and runs guests
 * on the hardware virtualization extensions (VT-x/AMD-V with nested paging); each VM is a
 * user-space process whose device model (QEMU) emulates or para-virtualizes its devices.
 * <p>
 * The figures, a pure function of the host:
 * <ul>
 * <li>{@value #CPU_OVERHEAD_PERCENT}% CPU overhead: with nested paging guests exit only on I/O
 * and a few privileged events, 2–3%.</li>
 * <li>The host kernel keeps {@value #HOST_CPU_PERCENT}% of the host's cores × MHz (at least
 * {@value #MIN_HOST_CPU_MHZ} MHz) for its housekeeping threads, and {@value #HOST_BASE_MIB} MiB
 * plus {@value #HOST_MEMORY_PERCENT}% of physical memory; never more than half of the CPU nor a
 * quarter of the memory.</li>
 * <li>Each VM costs {@value #DEVICE_MODEL_MIB} MiB beyond its memory: its device-model process
 * (code, heap, virtio rings, video memory).</li>
 * <li>I/O: the guest's virtio driver kicks a queue (an exit caught by an ioeventfd); the device
 * model, or vhost in the kernel for the network, carries the request to the host's driver.</li>
 * </ul>
 */
@Component(service = HypervisorType.class, property = HypervisorType.NAME + "=hybrid")
public final class HybridType implements HypervisorType {
    /** CPU lost to hardware-assisted virtualization, percent. */
    public static final double CPU_OVERHEAD_PERCENT = 2.5;
    /** Share of the host's CPU the host kernel keeps, percent. */
    public static final int HOST_CPU_PERCENT = 2;
    /** The least CPU the host kernel keeps, MHz. */
    public static final long MIN_HOST_CPU_MHZ = 100;
    /** Memory the host kernel keeps before its proportional part, MiB. */
    public static final long HOST_BASE_MIB = 512;
    /** Share of physical memory the host kernel keeps on top of its base, percent. */
    public static final int HOST_MEMORY_PERCENT = 1;
    /** Memory of one device-model process, MiB. */
    public static final long DEVICE_MODEL_MIB = 64;

    @Override
    public HypervisorKind kind() {
        return HypervisorKind.HYBRID;
    }

    @Override
    public TypeProfile profile(HostSpec host) {
        long capacity = host.capacityMhz();
        long cpu = Math.min(Math.max(MIN_HOST_CPU_MHZ, capacity * HOST_CPU_PERCENT / 100), capacity / 2);
        long memory = Math.min(HOST_BASE_MIB + host.memoryMiB() * HOST_MEMORY_PERCENT / 100, host.memoryMiB() / 4);
        String description = String.format(Locale.ROOT,
                "hybrid, KVM-style: kernel module + a device-model process per VM, hardware-assisted (%.1f%% CPU);"
                        + " the host kernel keeps %d MHz and %d MiB; %d MiB per device model",
                CPU_OVERHEAD_PERCENT, cpu, memory, DEVICE_MODEL_MIB);
        return new TypeProfile(HypervisorKind.HYBRID, description, CPU_OVERHEAD_PERCENT, cpu, memory, null,
                "guest virtio driver -> KVM exit (ioeventfd) -> device model process or vhost -> host driver",
                DEVICE_MODEL_MIB, true);
    }
}
