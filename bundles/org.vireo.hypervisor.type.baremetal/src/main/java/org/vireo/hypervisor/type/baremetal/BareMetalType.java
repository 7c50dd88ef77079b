package org.vireo.hypervisor.type.baremetal;

import java.util.Locale;
import org.osgi.service.component.annotations.Component;
import org.vireo.api.hypervisor.HypervisorType;
import org.vireo.api.hypervisor.TypeProfile;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;

/**
 * Type 1, bare-metal, Xen-style: the hypervisor runs on the hardware; a privileged domain,
 * {@value #DOM0}, starts before any guest (DomU), owns the physical devices and runs the I/O
 * backends; guests are paravirtualized (hypercalls instead of traps).
 * <p>
 * The figures, a pure function of the host:
 * <ul>
 * <li>{@value #CPU_OVERHEAD_PERCENT}% CPU overhead: paravirtual guests lose 2–5% to hypercalls,
 * event channels and grant-table operations.</li>
 * <li>Dom0 CPU: one core per {@value #CORES_PER_DOM0_VCPU} physical cores, rounded up (the usual
 * {@code dom0_max_vcpus} sizing), i.e. one core's MHz on hosts of up to 16 cores; never more
 * than half of the host's cores × MHz.</li>
 * <li>Dom0 memory: {@value #DOM0_BASE_MIB} MiB plus {@value #DOM0_MIB_PER_GIB} MiB per GiB of
 * host memory, capped at {@value #DOM0_MAX_MIB} MiB (the {@code dom0_mem} guidance of 1–2 GiB for
 * a Dom0 that only runs backends and the toolstack), and never more than a quarter of the host's
 * memory.</li>
 * <li>Each DomU costs {@value #PER_DOMAIN_MIB} MiB beyond its memory: the hypervisor's per-domain
 * structures (physical-to-machine table, grant table, event channels).</li>
 * <li>I/O: DomU front-end drivers (netfront, blkfront) pass requests through shared grant pages
 * and event channels to Dom0's back-ends (netback, blkback), which drive the hardware.</li>
 * </ul>
 */
@Component(service = HypervisorType.class, property = HypervisorType.NAME + "=baremetal")
public final class BareMetalType implements HypervisorType {
    /** The privileged domain's name. */
    public static final String DOM0 = "Dom0";
    /** CPU lost to paravirtualization, percent. */
    public static final double CPU_OVERHEAD_PERCENT = 3.0;
    /** Physical cores per Dom0 vCPU. */
    public static final int CORES_PER_DOM0_VCPU = 16;
    /** Dom0's memory before its proportional part, MiB. */
    public static final long DOM0_BASE_MIB = 1024;
    /** Dom0's memory per GiB of host memory, MiB. */
    public static final long DOM0_MIB_PER_GIB = 16;
    /** The most memory Dom0 takes, MiB. */
    public static final long DOM0_MAX_MIB = 2048;
    /** The hypervisor's memory per DomU, MiB. */
    public static final long PER_DOMAIN_MIB = 16;

    @Override
    public HypervisorKind kind() {
        return HypervisorKind.BAREMETAL;
    }

    @Override
    public TypeProfile profile(HostSpec host) {
        long dom0Cores = (host.cores() + CORES_PER_DOM0_VCPU - 1) / CORES_PER_DOM0_VCPU;
        long cpu = Math.min(dom0Cores * host.mhzPerCore(), host.capacityMhz() / 2);
        long memory = Math.min(Math.min(DOM0_BASE_MIB + host.memoryMiB() / 1024 * DOM0_MIB_PER_GIB, DOM0_MAX_MIB),
                host.memoryMiB() / 4);
        String description = String.format(Locale.ROOT,
                "type 1, Xen-style: %s starts first, owns physical I/O and reserves %d MHz and %d MiB;"
                        + " paravirtual guests lose %.0f%% CPU; %d MiB per DomU",
                DOM0, cpu, memory, CPU_OVERHEAD_PERCENT, PER_DOMAIN_MIB);
        return new TypeProfile(HypervisorKind.BAREMETAL, description, CPU_OVERHEAD_PERCENT, cpu, memory, DOM0,
                "DomU netfront/blkfront -> grant tables and event channels -> Dom0 netback/blkback -> physical driver",
                PER_DOMAIN_MIB, false);
    }
}
