package org.vireo.cpu.credit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.vireo.api.cpu.Admission;
import org.vireo.api.cpu.CpuAllocation;
import org.vireo.api.cpu.CpuQosPolicy;
import org.vireo.api.cpu.CpuSnapshot;
import org.vireo.api.model.VmSpec;

/**
 * The {@code credit} CPU policy: Xen credit-scheduler weights and caps, no reservations; see
 * {@link CreditScheduler}. Configuration PID {@code org.vireo.cpu.credit}. It admits every VM
 * (there is nothing reserved to run out of). No state, so replacing or reconfiguring it while
 * VMs run loses nothing.
 */
@Component(service = CpuQosPolicy.class, configurationPid = CreditPolicy.PID, property = {
    CpuQosPolicy.NAME + "=" + CreditPolicy.NAME_VALUE,
    "service.ranking:Integer=" + CreditPolicy.RANKING})
@Designate(ocd = CreditPolicy.Config.class)
public final class CreditPolicy implements CpuQosPolicy {
    /** The configuration PID. */
    public static final String PID = "org.vireo.cpu.credit";
    /** This policy's {@code vireo.name}. */
    public static final String NAME_VALUE = "credit";
    /** Its {@code service.ranking}: below reservation (300), above fair (100). */
    public static final int RANKING = 200;

    /** The policy's tuning. */
    @ObjectClassDefinition(name = "Vireo CPU policy (credit)",
            description = "Xen credit-scheduler semantics: weights from shares, caps from limits, no reservations.")
    public @interface Config {
        /** @return the weight of a VM with the default 1000 shares */
        @AttributeDefinition(description = "Credit weight of a VM with the default 1000 shares (Xen's default is 256). "
                + "A VM's weight is round(shares x defaultWeight / 1000), bounded to 1..65535.", min = "1", max = "65535")
        int defaultWeight() default CreditScheduler.DEFAULT_WEIGHT;
    }

    private final CreditScheduler scheduler;

    /**
     * @param config the configuration
     * @throws org.vireo.api.model.InvalidSpecException naming the property that is out of range
     */
    @Activate
    public CreditPolicy(Config config) {
        this.scheduler = new CreditScheduler(config.defaultWeight());
    }

    @Override
    public CpuAllocation allocate(CpuSnapshot host) {
        return scheduler.allocate(host);
    }

    @Override
    public Admission admit(CpuSnapshot host, VmSpec candidate) {
        return Admission.granted();
    }
}
