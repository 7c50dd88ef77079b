package org.vireo.cpu.reservation;

import org.osgi.service.component.annotations.Component;
import org.vireo.api.cpu.Admission;
import org.vireo.api.cpu.CpuAllocation;
import org.vireo.api.cpu.CpuQosPolicy;
import org.vireo.api.cpu.CpuSnapshot;
import org.vireo.api.model.VmSpec;

/**
 * The default CPU policy, {@code reservation}: reservations are guaranteed floors, limits hard
 * ceilings and shares divide the rest; see {@link ReservationShares}. It ranks above the other
 * CPU policies so that it is the one chosen when no policy is named. Nothing to configure and
 * no state, so replacing it while VMs run loses nothing.
 */
@Component(service = CpuQosPolicy.class, property = {
    CpuQosPolicy.NAME + "=" + ReservationSharesPolicy.NAME_VALUE,
    "service.ranking:Integer=" + ReservationSharesPolicy.RANKING})
public final class ReservationSharesPolicy implements CpuQosPolicy {
    /** This policy's {@code vireo.name}. */
    public static final String NAME_VALUE = "reservation";
    /** Its {@code service.ranking}: the highest of the CPU policies shipped (credit 200, fair 100). */
    public static final int RANKING = 300;

    /** Creates the policy; it has nothing to configure. */
    public ReservationSharesPolicy() {
        // stateless
    }

    @Override
    public CpuAllocation allocate(CpuSnapshot host) {
        return ReservationShares.allocate(host);
    }

    @Override
    public Admission admit(CpuSnapshot host, VmSpec candidate) {
        return ReservationShares.admit(host, candidate);
    }
}
