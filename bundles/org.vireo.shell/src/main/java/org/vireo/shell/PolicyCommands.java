package org.vireo.shell;

import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vireo.api.inventory.PolicyFamily;
import org.vireo.api.inventory.PolicyService;

/** The {@code policy:*} commands: which implementation of each SPI family is in use, and swapping it. */
@Component(service = PolicyCommands.class, property = {
    "osgi.command.scope=policy",
    "osgi.command.function=list",
    "osgi.command.function=use"})
public final class PolicyCommands {
    private final PolicyService policies;

    /** @param policies the choice of implementations */
    @Activate
    public PolicyCommands(@Reference PolicyService policies) {
        this.policies = policies;
    }

    @Descriptor("list every policy family, its installed implementations, the active one and the configured one")
    public String list(
            @Descriptor("answer with a JSON array, one object per family")
            @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json) {
        List<PolicyFormat.FamilyState> families = PolicyFormat.families(policies.list(), policies::configured);
        return json ? PolicyFormat.json(families) : PolicyFormat.table(families);
    }

    @Descriptor("make an installed implementation the active one of its family, from the next scheduling interval")
    public String use(
            @Descriptor("the family: cpu, memory or migration") String family,
            @Descriptor("the implementation's name, as policy:list shows it") String name) {
        return PolicyFormat.line(policies.use(PolicyFamily.parse(family), name));
    }
}
