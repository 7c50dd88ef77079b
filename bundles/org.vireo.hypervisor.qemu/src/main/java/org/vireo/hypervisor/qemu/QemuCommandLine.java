package org.vireo.hypervisor.qemu;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vireo.api.model.DiskFormat;
import org.vireo.api.model.DiskSpec;
import org.vireo.api.model.NicSpec;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.WorkloadSpec;

/**
 * The command line of one VM's QEMU process: the Vireo guest's kernel and initramfs booted
 * directly, the serial console written to {@code console.log}, QMP on a Unix socket, a balloon
 * device, guest memory marked mergeable for KSM ({@code mem-merge=on}), the VM's disks as
 * virtio-blk and its NICs as isolated virtio-net (user networking with {@code restrict=on}: the
 * guest sees a NIC, nothing leaves the host).
 * <p>
 * The workload reaches the guest on the kernel command line; see {@link #workloadArguments}.
 */
public final class QemuCommandLine {
    /** Kernel arguments every Vireo guest gets. */
    static final String BASE_APPEND = "console=ttyS0 panic=-1 quiet";

    /**
     * What each workload profile asks of the guest's {@code vireo-load}: CPU percent of every
     * vCPU, MiB dirtied per second, working set in MiB. The parameters {@code cpu}, {@code dirty}
     * and {@code ws} override these; {@code zero=1} writes zero pages only (mergeable).
     */
    static final Map<String, double[]> PROFILES = Map.of(
            "idle", new double[] {0, 0, 64},
            "web", new double[] {30, 5, 128},
            "db", new double[] {60, 40, 256},
            "batch", new double[] {100, 0, 64},
            "desktop", new double[] {10, 1, 64},
            "custom", new double[] {0, 0, 64});

    private final String binary;
    private final String machine;

    /**
     * @param binary the QEMU executable (a name on the PATH or a path)
     * @param machine the machine type, e.g. {@code q35}
     */
    public QemuCommandLine(String binary, String machine) {
        this.binary = binary;
        this.machine = machine;
    }

    /**
     * @param vm the VM's definition
     * @param cpuModel the CPU model offered to the guest ({@code -cpu})
     * @param accelerator TCG or KVM
     * @param paths the VM's directory
     * @param guest the kernel and initramfs
     * @return the argument vector, executable first
     */
    public List<String> build(VmSpec vm, String cpuModel, Accelerator accelerator, VmPaths paths, GuestImage guest) {
        List<String> a = new ArrayList<>();
        a.add(binary);
        add(a, "-name", value(vm.name()) + ",debug-threads=on");
        add(a, "-machine", machine + ",mem-merge=on"); // guest memory is mergeable: KSM shares it when page sharing runs
        add(a, "-accel", accelerator.id());
        add(a, "-cpu", cpuModel);
        add(a, "-smp", String.valueOf(vm.vcpus()));
        add(a, "-m", vm.memoryMiB() + "M");
        a.add("-nodefaults");
        a.add("-no-user-config");
        add(a, "-display", "none");
        a.add("-no-reboot");
        add(a, "-kernel", value(guest.kernel()));
        add(a, "-initrd", value(guest.initrd()));
        add(a, "-append", kernelArguments(vm));
        add(a, "-chardev", "file,id=console,path=" + value(paths.consoleLog()));
        add(a, "-serial", "chardev:console");
        add(a, "-qmp", "unix:" + value(paths.qmpSocket()) + ",server=on,wait=off");
        add(a, "-pidfile", paths.pidFile().toString());
        add(a, "-device", "virtio-balloon-pci,id=balloon0");
        int i = 0;
        for (DiskSpec disk : vm.disks()) {
            Path file = paths.directory().resolve(disk.fileName());
            String fileNode = "file" + i;
            String driveNode = "drive" + i;
            add(a, "-blockdev", "driver=file,node-name=" + fileNode + ",filename=" + value(file)
                    + (disk.shared() ? ",locking=off" : ""));
            add(a, "-blockdev", "driver=" + (disk.format() == DiskFormat.COW ? "qcow2" : "raw") + ",node-name=" + driveNode
                    + ",file=" + fileNode);
            add(a, "-device", "virtio-blk-pci,drive=" + driveNode + ",id=disk" + i + ",serial=" + serial(disk.name()));
            i++;
        }
        i = 0;
        for (NicSpec nic : vm.nics()) {
            add(a, "-netdev", "user,id=net" + i + ",restrict=on");
            add(a, "-device", "virtio-net-pci,netdev=net" + i + ",id=nic" + i + (nic.mac() == null ? "" : ",mac=" + nic.mac()));
            i++;
        }
        return a;
    }

    /**
     * @param argv a command line from {@link #build}
     * @return the same with {@code -S}: QEMU comes up with its vCPUs stopped until QMP {@code cont}
     */
    static List<String> frozen(List<String> argv) {
        List<String> a = new ArrayList<>(argv);
        a.add(1, "-S");
        return a;
    }

    /**
     * @param vm the VM
     * @return the kernel command line: {@link #BASE_APPEND} plus the workload
     */
    static String kernelArguments(VmSpec vm) {
        StringBuilder sb = new StringBuilder(BASE_APPEND);
        workloadArguments(vm.workload(), vm.vcpus()).forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        return sb.toString();
    }

    /**
     * @param workload the VM's workload
     * @param vcpus its vCPUs (one burner thread each)
     * @return {@code vireo.*} kernel arguments that {@code /init} passes to {@code vireo-load}
     */
    static Map<String, String> workloadArguments(WorkloadSpec workload, int vcpus) {
        double[] p = PROFILES.getOrDefault(workload.profile(), PROFILES.get("custom"));
        Map<String, String> args = new LinkedHashMap<>();
        args.put("vireo.workload", workload.profile());
        args.put("vireo.cpu", String.valueOf(Math.round(workload.parameter("cpu", p[0]))));
        args.put("vireo.threads", String.valueOf(vcpus));
        args.put("vireo.dirty", number(workload.parameter("dirty", p[1])));
        args.put("vireo.ws", String.valueOf(Math.max(1, Math.round(workload.parameter("ws", p[2])))));
        if (workload.parameter("zero", 0) >= 1.0) {
            args.put("vireo.zero", "1");
        }
        return args;
    }

    private static String number(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }

    /** A virtio-blk serial is at most 20 bytes. */
    private static String serial(String name) {
        return value(name.length() <= 20 ? name : name.substring(0, 20));
    }

    /** QEMU option values escape a comma by doubling it. */
    static String value(Object text) {
        return String.valueOf(text).replace(",", ",,");
    }

    private static void add(List<String> args, String option, String value) {
        args.add(option);
        args.add(value);
    }
}
