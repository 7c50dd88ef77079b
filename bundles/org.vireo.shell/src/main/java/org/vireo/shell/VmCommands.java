package org.vireo.shell;

import java.util.ArrayList;
import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vireo.api.inventory.VmAdminService;
import org.vireo.api.inventory.VmView;
import org.vireo.api.model.CpuQos;
import org.vireo.api.model.DiskSpec;
import org.vireo.api.model.MemoryQos;
import org.vireo.api.model.NicSpec;
import org.vireo.api.model.Units;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.WorkloadSpec;

/**
 * The {@code vm:*} commands: define, run, inspect, move on disk and delete VMs. Gogo maps the
 * function {@code import}, a Java keyword, to the method {@code _import}.
 */
@Component(service = VmCommands.class, property = {
    "osgi.command.scope=vm",
    "osgi.command.function=create",
    "osgi.command.function=start",
    "osgi.command.function=stop",
    "osgi.command.function=pause",
    "osgi.command.function=resume",
    "osgi.command.function=crash",
    "osgi.command.function=list",
    "osgi.command.function=info",
    "osgi.command.function=destroy",
    "osgi.command.function=export",
    "osgi.command.function=import",
    "osgi.command.function=clone"})
public final class VmCommands {
    private static final String CREATE_USAGE = "vm:create NAME --vcpus N --mem SIZE [--host H] [--cpu-limit FREQ|unlimited]"
            + " [--cpu-reservation FREQ] [--cpu-shares N] [--mem-reservation SIZE] [--mem-shares N] [--disk SPEC]..."
            + " [--nic SPEC]... [--workload PROFILE] [--image IMG] [--json]";

    private final VmAdminService vms;

    /** @param vms the inventory of VMs */
    @Activate
    public VmCommands(@Reference VmAdminService vms) {
        this.vms = vms;
    }

    @Descriptor("define a VM (DEFINED; start it with vm:start)")
    public String create(
            @Descriptor("virtual CPUs, 1 to 256 (required)")
            @Parameter(names = "--vcpus", absentValue = Args.ABSENT) String vcpus,
            @Descriptor("memory: 512M, 4G (required)")
            @Parameter(names = "--mem", absentValue = Args.ABSENT) String mem,
            @Descriptor("host to place it on (default: the host with the most free memory)")
            @Parameter(names = "--host", absentValue = Args.ABSENT) String host,
            @Descriptor("CPU limit: 2000, 2GHz or unlimited (default)")
            @Parameter(names = "--cpu-limit", absentValue = "unlimited") String cpuLimit,
            @Descriptor("CPU reservation: 500, 1.5GHz (default 0)")
            @Parameter(names = "--cpu-reservation", absentValue = "0") String cpuReservation,
            @Descriptor("CPU shares, 1 to 1000000 (default 1000)")
            @Parameter(names = "--cpu-shares", absentValue = "1000") String cpuShares,
            @Descriptor("memory reservation: 256M, 1G (default 0)")
            @Parameter(names = "--mem-reservation", absentValue = "0") String memReservation,
            @Descriptor("memory shares, 1 to 1000000 (default 1000)")
            @Parameter(names = "--mem-shares", absentValue = "1000") String memShares,
            @Descriptor("a disk: SIZE or name=N,size=SIZE[,datastore=D][,format=raw|cow][,shared]; repeat --disk for"
                    + " more disks, or separate several with ';' inside quotes: --disk '10G;name=data,size=20G'")
            @Parameter(names = "--disk", absentValue = Args.ABSENT) String disk,
            @Descriptor("a NIC: NETWORK[,mac=52:54:00:xx:xx:xx]; repeat --nic for more, or separate several with ';'"
                    + " inside quotes")
            @Parameter(names = "--nic", absentValue = Args.ABSENT) String nic,
            @Descriptor("workload: idle (default), web, db, batch, desktop, or PROFILE:key=value,... e.g."
                    + " custom:cpu=50,ws=512M,dirty=20")
            @Parameter(names = "--workload", absentValue = Args.ABSENT) String workload,
            @Descriptor("OS image it boots (default debian-12)")
            @Parameter(names = "--image", absentValue = Args.ABSENT) String image,
            @Descriptor("answer with the VM as JSON")
            @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("the VM's name, followed by any repeated --disk SPEC and --nic SPEC") String... words) {
        Words rest = Words.parse(words, CREATE_USAGE, "--disk", "--nic");
        String name = rest.single("name", CREATE_USAGE);
        int cpus = Args.requiredInteger("vcpus", "--vcpus N", vcpus);
        long memoryMiB = Units.parseMiB("memoryMiB", Args.required("memoryMiB", "--mem SIZE", mem));
        CpuQos cpu = new CpuQos(Args.limitMhz("cpu.limitMhz", cpuLimit),
                Units.parseMhz("cpu.reservationMhz", cpuReservation), Args.integer("cpu.shares", cpuShares));
        MemoryQos memory = new MemoryQos(Units.parseMiB("memory.reservationMiB", memReservation),
                Args.integer("memory.shares", memShares));
        List<DiskSpec> disks = new ArrayList<>();
        for (String spec : Args.parts(all(disk, rest.repeated("--disk")))) {
            disks.add(DiskSpec.parse(spec, "disk" + disks.size()));
        }
        List<NicSpec> nics = new ArrayList<>();
        for (String spec : Args.parts(all(nic, rest.repeated("--nic")))) {
            nics.add(NicSpec.parse(spec, "nic" + nics.size()));
        }
        WorkloadSpec load = Args.given(workload) ? WorkloadSpec.parse(workload) : WorkloadSpec.IDLE;
        VmSpec spec = new VmSpec(name, cpus, memoryMiB, cpu, memory, disks, nics, load,
                Args.given(image) ? image.trim() : null);
        VmView created = vms.create(spec, Args.given(host) ? host.trim() : null);
        return json ? Json.pretty(VmFormat.detail(created)) : VmFormat.line(created);
    }

    @Descriptor("start a DEFINED, STOPPED or CRASHED VM after admission control")
    public String start(@Descriptor("the VM's name") String name) {
        return VmFormat.line(vms.start(name));
    }

    @Descriptor("stop a VM: a guest shutdown, or a power-off with --force")
    public String stop(
            @Descriptor("power off instead of a guest shutdown")
            @Parameter(names = "--force", presentValue = "true", absentValue = "false") boolean force,
            @Descriptor("the VM's name") String name) {
        return VmFormat.line(vms.stop(name, force));
    }

    @Descriptor("pause a running VM: it keeps its memory, uses no CPU")
    public String pause(@Descriptor("the VM's name") String name) {
        return VmFormat.line(vms.pause(name));
    }

    @Descriptor("resume a paused VM")
    public String resume(@Descriptor("the VM's name") String name) {
        return VmFormat.line(vms.resume(name));
    }

    @Descriptor("fault injection: crash one VM; its neighbours keep running")
    public String crash(@Descriptor("the VM's name") String name) {
        return VmFormat.line(vms.crash(name));
    }

    @Descriptor("list the VMs with their state, size, QoS and live CPU and memory")
    public String list(
            @Descriptor("answer with a JSON array")
            @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json) {
        List<VmView> all = vms.vms();
        return json ? VmFormat.listJson(all) : VmFormat.table(all);
    }

    @Descriptor("show a VM: definition, QoS, disks, NICs and live figures")
    public String info(
            @Descriptor("answer with a JSON object")
            @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("the VM's name") String name) {
        VmView vm = vms.vm(name);
        return json ? Json.pretty(VmFormat.detail(vm)) : VmFormat.info(vm);
    }

    @Descriptor("delete a VM that holds no resources, with its directory and disks")
    public String destroy(@Descriptor("the VM's name") String name) {
        vms.destroy(name);
        return name + " destroyed";
    }

    @Descriptor("copy a stopped VM (definition and disks) to a directory that does not exist or is empty")
    public String export(
            @Descriptor("the VM's name") String name,
            @Descriptor("the target directory") String directory) {
        return name + " exported to " + vms.exportVm(name, directory);
    }

    @Descriptor("import an exported VM directory as a new VM under its own name")
    public String _import(@Descriptor("the exported directory") String directory) {
        return VmFormat.line(vms.importVm(directory, null));
    }

    @Descriptor("import an exported VM directory as a new VM under another name")
    public String _import(
            @Descriptor("the exported directory") String directory,
            @Descriptor("the new VM's name") String name) {
        return VmFormat.line(vms.importVm(directory, name));
    }

    @Descriptor("clone a stopped VM onto its host: a full copy, or copy-on-write disks with --linked")
    public String clone(
            @Descriptor("link the clone's disks to the source's instead of copying them")
            @Parameter(names = "--linked", presentValue = "true", absentValue = "false") boolean linked,
            @Descriptor("the VM to clone") String source,
            @Descriptor("the clone's name") String newName) {
        return VmFormat.line(vms.cloneVm(source, newName, linked));
    }

    private static List<String> all(String first, List<String> more) {
        List<String> values = new ArrayList<>();
        values.add(first);
        values.addAll(more);
        return values;
    }
}
