package org.vireo.cpu.fair;

import org.osgi.service.component.annotations.Component;
import org.vireo.api.cpu.Admission;
import org.vireo.api.cpu.CpuAllocation;
import org.vireo.api.cpu.CpuQosPolicy;
import org.vireo.api.cpu.CpuSnapshot;
import org.vireo.api.model.VmSpec;

/**
 * The {@code fair} CPU policy: equal share per vCPU with limits honoured, the baseline to
 * compare the others with; see {@link FairShare}. It admits every VM. Nothing to configure and
 * no state, so replacing it while VMs run loses nothing.
 */
@Component(service = CpuQosPolicy.class, property = {
    CpuQosPolicy.NAME + "=" + FairSharePolicy.NAME_VALUE,
    "service.ranking:Integer=" + FairSharePolicy.RANKING})
public final class FairSharePolicy implements CpuQosPolicy {
    /** This policy's {@code vireo.name}. */
    public static final String NAME_VALUE = "fair";
    /** Its {@code service.ranking}: the lowest of the CPU policies shipped (reservation 300, credit 200). */
    public static final int RANKING = 100;

    /** Creates the policy; it has nothing to configure. */
    public FairSharePolicy() {
        // stateless
    }

    @Override
    public CpuAllocation allocate(CpuSnapshot host) {
        return FairShare.allocate(host);
    }

    @Override
    public Admission admit(CpuSnapshot host, VmSpec candidate) {
        return Admission.granted();
    }
}
