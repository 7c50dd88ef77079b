package org.vireo.shell;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vireo.api.inventory.HostService;
import org.vireo.api.inventory.HostView;
import org.vireo.api.inventory.MemoryReport;
import org.vireo.api.inventory.OvercommitSettings;
import org.vireo.api.inventory.QosService;
import org.vireo.api.inventory.VmAdminService;
import org.vireo.api.model.InvalidSpecException;
import org.vireo.api.model.MemoryQos;
import org.vireo.api.model.Units;

/**
 * The {@code mem:*} commands: a host's memory state as the active reclaim policy sees it, a VM's
 * memory reservation and shares, and the memory overcommit ratios admission uses (which core keeps
 * in its configuration and checks: {@code mem:overcommit} only asks it).
 */
@Component(service = MemCommands.class, property = {
    "osgi.command.scope=mem",
    "osgi.command.function=show",
    "osgi.command.function=set",
    "osgi.command.function=overcommit"})
public final class MemCommands {
    private static final String SET_USAGE = "mem:set VM [--reservation SIZE] [--shares N]";
    private static final String OVERCOMMIT_USAGE = "mem:overcommit [--json] [--cluster NAME] [RATIO | --unset]";

    private final QosService qos;
    private final VmAdminService vms;
    private final HostService hosts;

    /**
     * @param qos the reports of the active policies and the overcommit ratios
     * @param vms the inventory of VMs
     * @param hosts the inventory of hosts, for their clusters
     */
    @Activate
    public MemCommands(@Reference QosService qos, @Reference VmAdminService vms, @Reference HostService hosts) {
        this.qos = qos;
        this.vms = vms;
        this.hosts = hosts;
    }

    @Descriptor("show a host's memory: its state, free and hypervisor memory, the overcommit limit and the ratio it comes from, "
            + "and per VM what is resident, shared, ballooned, swapped")
    public String show(
            @Descriptor("answer with a JSON object")
            @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("the host's name") String host) {
        MemoryReport report = qos.memory(host);
        String cluster = hosts.host(host).spec().cluster();
        OvercommitSettings ratios = qos.overcommit();
        return json ? MemFormat.json(report, cluster, ratios) : MemFormat.table(report, cluster, ratios);
    }

    @Descriptor("change a VM's memory QoS; a running VM's new reservation is admission-checked")
    public String set(
            @Descriptor("memory reservation: 256M, 1G (default: unchanged)")
            @Parameter(names = "--reservation", absentValue = Args.ABSENT) String reservation,
            @Descriptor("memory shares, 1 to 1000000 (default: unchanged)")
            @Parameter(names = "--shares", absentValue = Args.ABSENT) String shares,
            @Descriptor("the VM's name") String... words) {
        String name = Words.parse(words, SET_USAGE).single("name", SET_USAGE);
        if (!Args.given(reservation) && !Args.given(shares)) {
            throw new InvalidSpecException("memory", null, "at least one of --reservation and --shares (" + SET_USAGE + ")");
        }
        MemoryQos q = vms.vm(name).spec().memory();
        long newReservation = Args.given(reservation) ? Units.parseMiB("memory.reservationMiB", reservation.trim()) : q.reservationMiB();
        int newShares = Args.given(shares) ? Args.integer("memory.shares", shares) : q.shares();
        return MemFormat.line(vms.setMemoryQos(name, new MemoryQos(newReservation, newShares)));
    }

    @Descriptor("show the memory overcommit ratios (the global one and each cluster's), or set one: the configured memory of a "
            + "host's active VMs may reach its ratio x its memory less the hypervisor's; a change applies from the next admission")
    public String overcommit(
            @Descriptor("answer with a JSON object")
            @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("the cluster whose own ratio is set or removed (default: the global ratio)")
            @Parameter(names = "--cluster", absentValue = Args.ABSENT) String cluster,
            @Descriptor("remove the ratio: a cluster's hosts then use the global one; the global one returns to the default 1.5")
            @Parameter(names = "--unset", presentValue = "true", absentValue = "false") boolean unset,
            @Descriptor("the new ratio, 0.1 to 100, e.g. 2.0 (none: show the ratios)") String... words) {
        List<String> positional = Words.parse(words, OVERCOMMIT_USAGE).positional();
        if (positional.isEmpty() && !unset && !Args.given(cluster)) {
            OvercommitSettings ratios = qos.overcommit();
            Map<String, List<String>> byCluster = hostsByCluster();
            return json ? OvercommitFormat.json(ratios, byCluster) : OvercommitFormat.table(ratios, byCluster);
        }
        if (positional.size() > 1 || (unset && !positional.isEmpty())) {
            throw new InvalidSpecException("ratio", String.join(" ", positional), "one RATIO or --unset (" + OVERCOMMIT_USAGE + ")");
        }
        if (!unset && positional.isEmpty()) {
            throw new InvalidSpecException("ratio", null, "a RATIO or --unset after --cluster " + cluster.trim() + " ("
                    + OVERCOMMIT_USAGE + ")");
        }
        String name = Args.given(cluster) ? cluster.trim() : null;
        OvercommitSettings before = qos.overcommit();
        OvercommitSettings after = qos.setOvercommit(name, unset ? null : positional.get(0).trim());
        Map<String, List<String>> byCluster = hostsByCluster();
        return json ? OvercommitFormat.json(after, byCluster)
                : OvercommitFormat.changed(before, after, name, name == null ? List.of() : byCluster.getOrDefault(name, List.of()));
    }

    private Map<String, List<String>> hostsByCluster() {
        return hosts.hosts().stream().collect(Collectors.groupingBy(h -> h.spec().cluster(), TreeMap::new,
                Collectors.mapping(HostView::name, Collectors.toList())));
    }
}
