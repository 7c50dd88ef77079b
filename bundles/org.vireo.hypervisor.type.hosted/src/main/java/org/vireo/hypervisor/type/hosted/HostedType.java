package org.vireo.hypervisor.type.hosted;

import java.util.Locale;
import org.osgi.service.component.annotations.Component;
import org.vireo.api.hypervisor.HypervisorType;
import org.vireo.api.hypervisor.TypeProfile;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;

/**
 * Type 2, hosted (VMware Workstation, VirtualBox without VT-x): a general-purpose host operating
 * system owns the devices and schedules the VMM as one of its processes; privileged guest
 * instructions trap into the VMM, which emulates them (trap-and-emulate, with binary translation
 * of the kernel paths that do not trap).
 * <p>
 * The figures, a pure function of the host:
 * <ul>
 * <li>{@value #CPU_OVERHEAD_PERCENT}% CPU overhead: trap-and-emulate and binary translation cost
 * 10–15% on kernel-heavy guests; the middle of that range is charged on every guest
 * instruction stream.</li>
 * <li>The host OS keeps {@value #HOST_OS_CPU_PERCENT}% of the host's cores × MHz for its own
 * processes (at least {@value #MIN_HOST_OS_CPU_MHZ} MHz), and {@value #HOST_OS_BASE_MIB} MiB plus
 * {@value #HOST_OS_MEMORY_PERCENT}% of physical memory (kernel, services, page-cache floor).
 * Neither takes more than half of the host.</li>
 * <li>Each VM costs {@value #VMM_PROCESS_MIB} MiB beyond its configured memory: the VMM process
 * (code, emulated device state, shadow page tables).</li>
 * <li>I/O: the guest's driver talks to a device the VMM process emulates, which issues system
 * calls to the host OS, whose driver owns the hardware.</li>
 * </ul>
 */
@Component(service = HypervisorType.class, property = HypervisorType.NAME + "=hosted")
public final class HostedType implements HypervisorType {
    /** CPU lost to trap-and-emulate, percent. */
    public static final double CPU_OVERHEAD_PERCENT = 12.0;
    /** Share of the host's CPU the host OS keeps, percent. */
    public static final int HOST_OS_CPU_PERCENT = 5;
    /** The least CPU the host OS keeps, MHz. */
    public static final long MIN_HOST_OS_CPU_MHZ = 200;
    /** Memory the host OS keeps before its proportional part, MiB. */
    public static final long HOST_OS_BASE_MIB = 1024;
    /** Share of physical memory the host OS keeps on top of its base, percent. */
    public static final int HOST_OS_MEMORY_PERCENT = 2;
    /** Memory of one VMM process, MiB. */
    public static final long VMM_PROCESS_MIB = 128;

    @Override
    public HypervisorKind kind() {
        return HypervisorKind.HOSTED;
    }

    @Override
    public TypeProfile profile(HostSpec host) {
        long capacity = host.capacityMhz();
        long cpu = Math.min(Math.max(MIN_HOST_OS_CPU_MHZ, capacity * HOST_OS_CPU_PERCENT / 100), capacity / 2);
        long memory = Math.min(HOST_OS_BASE_MIB + host.memoryMiB() * HOST_OS_MEMORY_PERCENT / 100, host.memoryMiB() / 2);
        String description = String.format(Locale.ROOT,
                "type 2 (hosted): a host OS owns the devices, the VMM is a process; trap-and-emulate costs %.0f%% CPU;"
                        + " the host OS keeps %d MHz (%d%%, at least %d) and %d MiB (%d MiB + %d%%); %d MiB per VMM process",
                CPU_OVERHEAD_PERCENT, cpu, HOST_OS_CPU_PERCENT, MIN_HOST_OS_CPU_MHZ, memory, HOST_OS_BASE_MIB,
                HOST_OS_MEMORY_PERCENT, VMM_PROCESS_MIB);
        return new TypeProfile(HypervisorKind.HOSTED, description, CPU_OVERHEAD_PERCENT, cpu, memory, null,
                "guest driver -> device emulated in the VMM process -> host OS system call -> host OS driver",
                VMM_PROCESS_MIB, false);
    }
}
