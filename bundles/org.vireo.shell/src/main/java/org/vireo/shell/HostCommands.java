package org.vireo.shell;

import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vireo.api.inventory.HostAdminService;
import org.vireo.api.inventory.HostView;
import org.vireo.api.model.CpuModel;
import org.vireo.api.model.DatastoreSpec;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;
import org.vireo.api.model.Units;

/** The {@code host:*} commands: add, list, inspect and remove physical hosts. */
@Component(service = HostCommands.class, property = {
    "osgi.command.scope=host",
    "osgi.command.function=add",
    "osgi.command.function=list",
    "osgi.command.function=info",
    "osgi.command.function=remove"})
public final class HostCommands {
    private static final String ADD_USAGE = "host:add NAME --cpus N --mhz FREQ --mem SIZE --type hosted|baremetal|hybrid"
            + " [--cpu-model M] [--hypervisor sim|qemu] [--cluster C] [--json]";

    private final HostAdminService hosts;

    /** @param hosts the inventory of hosts */
    @Activate
    public HostCommands(@Reference HostAdminService hosts) {
        this.hosts = hosts;
    }

    @Descriptor("add a host and attach it to its hypervisor")
    public String add(
            @Descriptor("physical cores, 1 to 1024 (required)")
            @Parameter(names = "--cpus", absentValue = Args.ABSENT) String cpus,
            @Descriptor("frequency of one core: 2400, 2400MHz or 2.5GHz (required)")
            @Parameter(names = "--mhz", absentValue = Args.ABSENT) String mhz,
            @Descriptor("physical memory: 16G, 65536M, 1T (required)")
            @Parameter(names = "--mem", absentValue = Args.ABSENT) String mem,
            @Descriptor("hypervisor architecture: hosted, baremetal or hybrid (required)")
            @Parameter(names = "--type", absentValue = Args.ABSENT) String type,
            @Descriptor("CPU model: qemu64 (default), Nehalem, Westmere, Haswell, Skylake-Client or EPYC")
            @Parameter(names = "--cpu-model", absentValue = Args.ABSENT) String cpuModel,
            @Descriptor("hypervisor implementation that drives the host: sim (default) or qemu")
            @Parameter(names = "--hypervisor", absentValue = HostSpec.DEFAULT_HYPERVISOR) String hypervisor,
            @Descriptor("cluster the host belongs to (default: default)")
            @Parameter(names = "--cluster", absentValue = HostSpec.DEFAULT_CLUSTER) String cluster,
            @Descriptor("answer with the host as JSON")
            @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("the host's name") String... words) {
        String name = Words.parse(words, ADD_USAGE).single("name", ADD_USAGE);
        int cores = Args.requiredInteger("host.cores", "--cpus N", cpus);
        long mhzPerCore = Units.parseMhz("host.mhzPerCore", Args.required("host.mhzPerCore", "--mhz FREQ", mhz));
        long memoryMiB = Units.parseMiB("host.memoryMiB", Args.required("host.memoryMiB", "--mem SIZE", mem));
        HypervisorKind kind = HypervisorKind.parse("host.type", Args.required("host.type", "--type hosted|baremetal|hybrid", type));
        CpuModel model = Args.given(cpuModel) ? CpuModel.known(cpuModel.trim()) : CpuModel.DEFAULT;
        HostSpec spec = new HostSpec(name, cluster, cores, mhzPerCore, memoryMiB, kind, hypervisor, model,
                List.of(DatastoreSpec.LOCAL), HostSpec.DEFAULT_NIC_MBPS);
        HostView added = hosts.addHost(spec);
        return json ? Json.pretty(HostFormat.detail(added)) : HostFormat.line(added);
    }

    @Descriptor("list the hosts with their size and load")
    public String list(
            @Descriptor("answer with a JSON array")
            @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json) {
        List<HostView> all = hosts.hosts();
        return json ? HostFormat.listJson(all) : HostFormat.table(all);
    }

    @Descriptor("show a host: definition, type overheads, live CPU and memory, its VMs")
    public String info(
            @Descriptor("answer with a JSON object")
            @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("the host's name") String name) {
        HostView host = hosts.host(name);
        return json ? Json.pretty(HostFormat.detail(host)) : HostFormat.info(host);
    }

    @Descriptor("remove a host that has no VMs placed on it")
    public String remove(@Descriptor("the host's name") String name) {
        hosts.removeHost(name);
        return name + " removed";
    }
}
