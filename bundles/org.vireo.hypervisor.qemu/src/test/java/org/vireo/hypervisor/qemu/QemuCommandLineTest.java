package org.vireo.hypervisor.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vireo.api.model.CpuQos;
import org.vireo.api.model.DiskFormat;
import org.vireo.api.model.DiskSpec;
import org.vireo.api.model.MemoryQos;
import org.vireo.api.model.NicSpec;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.WorkloadSpec;

class QemuCommandLineTest {
    private static final GuestImage GUEST = new GuestImage(Path.of("/g"), Path.of("/g/vmlinux"), Path.of("/g/initramfs.cpio.gz"), Map.of());
    private static final VmPaths PATHS = new VmPaths(Path.of("/data/vms/web1"));
    private static final QemuCommandLine LINE = new QemuCommandLine("qemu-system-x86_64", "q35");

    private static String after(List<String> argv, String option) {
        int i = argv.indexOf(option);
        assertTrue(i >= 0, option + " missing from " + argv);
        return argv.get(i + 1);
    }

    private static List<String> valuesOf(List<String> argv, String option) {
        List<String> values = new java.util.ArrayList<>();
        for (int i = 0; i < argv.size() - 1; i++) {
            if (argv.get(i).equals(option)) {
                values.add(argv.get(i + 1));
            }
        }
        return values;
    }

    @Test
    void bootsTheGuestKernelDirectlyWithConsoleQmpAndBalloon() {
        List<String> argv = LINE.build(VmSpec.of("web1", 2, 512), "qemu64", Accelerator.TCG, PATHS, GUEST);

        assertEquals("qemu-system-x86_64", argv.get(0));
        assertEquals("q35,mem-merge=on", after(argv, "-machine"), "guest memory is mergeable for KSM");
        assertEquals("tcg", after(argv, "-accel"));
        assertEquals("qemu64", after(argv, "-cpu"));
        assertEquals("2", after(argv, "-smp"));
        assertEquals("512M", after(argv, "-m"));
        assertEquals("/g/vmlinux", after(argv, "-kernel"));
        assertEquals("/g/initramfs.cpio.gz", after(argv, "-initrd"));
        assertTrue(argv.contains("-no-reboot"));
        assertTrue(argv.contains("-nodefaults"));
        assertEquals("none", after(argv, "-display"));
        assertEquals("file,id=console,path=/data/vms/web1/console.log", after(argv, "-chardev"));
        assertEquals("chardev:console", after(argv, "-serial"));
        assertEquals("unix:/data/vms/web1/qmp.sock,server=on,wait=off", after(argv, "-qmp"));
        assertEquals("/data/vms/web1/qemu.pid", after(argv, "-pidfile"));
        assertEquals(List.of("virtio-balloon-pci,id=balloon0"), valuesOf(argv, "-device"));
        assertTrue(after(argv, "-append").startsWith("console=ttyS0 panic=-1"), after(argv, "-append"));
    }

    @Test
    void aFrozenLaunchStartsWithItsVcpusStopped() {
        List<String> argv = LINE.build(VmSpec.of("web1", 1, 256), "qemu64", Accelerator.TCG, PATHS, GUEST);

        List<String> frozen = QemuCommandLine.frozen(argv);

        assertEquals("-S", frozen.get(1));
        List<String> rest = new java.util.ArrayList<>(frozen);
        rest.remove(1);
        assertEquals(argv, rest, "nothing else changes");
        assertFalse(argv.contains("-S"), "the original is left as it was");
    }

    @Test
    void aHybridHostRunsTheVmUnderKvm() {
        List<String> argv = LINE.build(VmSpec.of("web1", 1, 256), "qemu64", Accelerator.KVM, PATHS, GUEST);

        assertEquals("kvm", after(argv, "-accel"));
    }

    @Test
    void theWorkloadReachesTheGuestOnTheKernelCommandLine() {
        VmSpec batch = VmSpec.of("b", 2, 512).withWorkload(WorkloadSpec.parse("batch"));
        VmSpec custom = VmSpec.of("c", 1, 512).withWorkload(WorkloadSpec.parse("custom:cpu=50,dirty=20.5,ws=128M"));
        VmSpec idle = VmSpec.of("i", 1, 512);

        assertEquals("console=ttyS0 panic=-1 quiet vireo.workload=batch vireo.cpu=100 vireo.threads=2 vireo.dirty=0 vireo.ws=64",
                QemuCommandLine.kernelArguments(batch));
        assertEquals("console=ttyS0 panic=-1 quiet vireo.workload=custom vireo.cpu=50 vireo.threads=1 vireo.dirty=20.50 vireo.ws=128",
                QemuCommandLine.kernelArguments(custom));
        assertEquals("0", QemuCommandLine.workloadArguments(idle.workload(), 1).get("vireo.cpu"));
        assertEquals("1", QemuCommandLine.workloadArguments(WorkloadSpec.parse("custom:zero=1,dirty=10"), 1).get("vireo.zero"));
        assertFalse(QemuCommandLine.workloadArguments(WorkloadSpec.parse("db"), 1).containsKey("vireo.zero"));
    }

    @Test
    void disksAreVirtioBlkOverTheFilesInTheVmDirectory() {
        VmSpec vm = new VmSpec("db1", 1, 512, CpuQos.DEFAULT, MemoryQos.DEFAULT, List.of(
                new DiskSpec("root", 1024, "local", DiskFormat.COW, null, false),
                new DiskSpec("scratch", 64, "local", DiskFormat.RAW, null, false),
                new DiskSpec("shared-data", 64, "san", DiskFormat.RAW, null, true)), List.of(), WorkloadSpec.IDLE, null);

        List<String> argv = LINE.build(vm, "qemu64", Accelerator.TCG, PATHS, GUEST);

        assertEquals(List.of(
                "driver=file,node-name=file0,filename=/data/vms/web1/root.qcow2",
                "driver=qcow2,node-name=drive0,file=file0",
                "driver=file,node-name=file1,filename=/data/vms/web1/scratch.img",
                "driver=raw,node-name=drive1,file=file1",
                "driver=file,node-name=file2,filename=/data/vms/web1/shared-data.img,locking=off",
                "driver=raw,node-name=drive2,file=file2"), valuesOf(argv, "-blockdev"));
        assertTrue(valuesOf(argv, "-device").contains("virtio-blk-pci,drive=drive0,id=disk0,serial=root"));
    }

    @Test
    void nicsAreIsolatedVirtioNet() {
        VmSpec vm = new VmSpec("n1", 1, 256, null, null, List.of(),
                List.of(new NicSpec("nic0", "prod", "52:54:00:12:34:56"), new NicSpec("nic1", "prod", null)), null, null);

        List<String> argv = LINE.build(vm, "qemu64", Accelerator.TCG, PATHS, GUEST);

        assertEquals(List.of("user,id=net0,restrict=on", "user,id=net1,restrict=on"), valuesOf(argv, "-netdev"));
        assertTrue(valuesOf(argv, "-device").contains("virtio-net-pci,netdev=net0,id=nic0,mac=52:54:00:12:34:56"));
        assertTrue(valuesOf(argv, "-device").contains("virtio-net-pci,netdev=net1,id=nic1"));
    }

    @Test
    void commasInPathsAreEscapedForQemusOptionSyntax() {
        VmPaths odd = new VmPaths(Path.of("/data/a,b/vm"));

        List<String> argv = LINE.build(VmSpec.of("x", 1, 256), "qemu64", Accelerator.TCG, odd, GUEST);

        assertEquals("unix:/data/a,,b/vm/qmp.sock,server=on,wait=off", after(argv, "-qmp"));
        assertEquals("file,id=console,path=/data/a,,b/vm/console.log", after(argv, "-chardev"));
    }

    @Test
    void aDirectoryTooDeepForAUnixSocketGetsItsSocketInAShortPlace() {
        VmPaths deep = new VmPaths(Path.of("/data/" + "very-long-folder-name/".repeat(5) + "vm"));

        Path socket = deep.qmpSocket();

        assertTrue(socket.toString().length() <= VmPaths.MAX_SOCKET_PATH, socket.toString());
        assertEquals(VmPaths.SHORT_SOCKETS, socket.getParent());
        assertEquals(socket, new VmPaths(Path.of("/data/" + "very-long-folder-name/".repeat(5) + "vm")).qmpSocket());
        assertEquals(PATHS.directory().resolve("qmp.sock"), PATHS.qmpSocket());
    }
}
