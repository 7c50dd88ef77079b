package org.vireo.hypervisor.qemu;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;
import org.vireo.api.hypervisor.HypervisorEvent;
import org.vireo.api.hypervisor.TypeProfile;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;
import org.vireo.api.model.VmState;

/**
 * What the tests on real guests share: the guest (built by guest/build.sh, which installs QEMU
 * where it can), hypervisors with short timeouts, waiting for events and heartbeats, and killing
 * any QEMU a failed test left behind.
 */
final class RealGuests {
    /** Generous: a TCG boot takes 2-6 s on a busy two-core machine. */
    static final Duration PATIENCE = Duration.ofSeconds(90);

    private static GuestImage guest;

    private RealGuests() {
    }

    /**
     * Builds (or finds, cached) the guest. Skips the calling test only where QEMU cannot be
     * installed; any other failure of the build fails it.
     *
     * @return the guest
     */
    static synchronized GuestImage guest() throws Exception {
        if (guest != null) {
            return guest;
        }
        String dir = System.getProperty("vireo.guest.dir", System.getProperty("user.home") + "/.cache/vireo-guest");
        String script = System.getProperty("vireo.guest.build", "../../guest/build.sh");
        Path log = Files.createTempFile("vireo-guest-build", ".log");
        int rc;
        try {
            Process p = new ProcessBuilder("bash", script, dir).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            rc = p.waitFor();
        } catch (IOException e) {
            rc = -1;
            Files.writeString(log, "cannot run " + script + ": " + e.getMessage());
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        if (rc != 0) {
            boolean qemu = new ProcessBuilder("sh", "-c", "command -v qemu-system-x86_64").start().waitFor() == 0;
            Assumptions.assumeTrue(qemu, () -> "QEMU is not installed and guest/build.sh could not install it (not root,"
                    + " or no Debian packages reachable); the tests on real guests are skipped. build.sh said: " + tail(output));
            fail("guest/build.sh failed although QEMU is installed: " + tail(output));
        }
        guest = new GuestLocator(dir, null, "/").locate();
        return guest;
    }

    static QemuHypervisor hypervisor(Path stateDirectory, Duration kvmProbe) throws Exception {
        return hypervisor(stateDirectory, kvmProbe, Policies.NONE);
    }

    /** A hypervisor asking the given policies every 500 ms. */
    static QemuHypervisor hypervisor(Path stateDirectory, Duration kvmProbe, Policies policies) throws Exception {
        GuestImage g = guest();
        QemuVm.Timing timing = new QemuVm.Timing(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(20),
                Duration.ofSeconds(120), Duration.ofMillis(500));
        return new QemuHypervisor(new Settings("qemu-system-x86_64", "q35", timing, kvmProbe, ""),
                new GuestLocator(g.directory().toString(), null, "/"), stateDirectory, ProcFs.system(), Path.of("/dev/kvm"),
                policies, Path.of("/"));
    }

    /**
     * After a test on real guests: the hypervisor deactivated, any QEMU it left killed, the host's cgroups removed.
     *
     * @param hypervisor the test's hypervisor, or {@code null} if none was made
     * @param dir the test's folder, whose {@code index} folder the hypervisor used
     * @param host the host the test attached
     */
    static void cleanUp(QemuHypervisor hypervisor, Path dir, String host) {
        if (hypervisor != null) {
            hypervisor.deactivate();
        }
        killLeftovers(dir);
        removeCgroups(dir.resolve("index"), host);
    }

    /** Skips the calling test, saying why, where the host's VMs cannot be put in cgroups. */
    static void assumeCgroups(QemuHypervisor h, String host) {
        HostControl control = h.control(host);
        Assumptions.assumeTrue(control.enforcing(), () -> "cgroups are not writable here, so CPU QoS cannot be enforced: "
                + control.describe());
    }

    static HostSpec host(String name) {
        return HostSpec.of(name, 2, 2400, 8192, HypervisorKind.HOSTED).withHypervisor(QemuHypervisor.NAME);
    }

    static TypeProfile hosted() {
        return new TypeProfile(HypervisorKind.HOSTED, "type 2: QEMU process per VM", 0, 0, 0, null, "emulated devices", 64, false);
    }

    /** Waits for an event about a VM with a given state and returns it. */
    static HypervisorEvent awaitEvent(QemuHypervisor h, String host, String vm, VmState state) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<HypervisorEvent> e = h.events(host, 0).stream()
                    .filter(x -> vm.equals(x.vm()) && x.state() == state).findFirst();
            if (e.isPresent()) {
                return e.get();
            }
            sleep(100);
        }
        return fail("no " + state + " event for " + vm + " within " + PATIENCE.toSeconds() + " s; events: " + h.events(host, 0));
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            sleep(100);
        }
        fail("not within " + PATIENCE.toSeconds() + " s: " + what);
    }

    /** Waits for the guest's heartbeat counter to pass a value, and returns that heartbeat. */
    static Heartbeat awaitHeartbeatAfter(QemuVm vm, long seconds) {
        Heartbeat[] seen = new Heartbeat[1];
        await(vm.name() + " printing a heartbeat after t=" + seconds, () -> {
            seen[0] = vm.heartbeat().filter(h -> h.seconds() > seconds).orElse(null);
            return seen[0] != null;
        });
        return seen[0];
    }

    /** Kills every QEMU whose command line mentions the directory: nothing outlives a test. */
    static void killLeftovers(Path directory) {
        ProcFs proc = ProcFs.system();
        List<ProcessHandle> all = ProcessHandle.allProcesses().toList();
        for (ProcessHandle p : all) {
            String cmd = proc.cmdline(p.pid());
            if (cmd.contains("qemu-system") && cmd.contains(directory.toString())) {
                p.destroyForcibly();
                try {
                    p.onExit().get();
                } catch (Exception e) {
                    // gone anyway
                }
            }
        }
    }

    /**
     * Removes the cgroups a failed test may have left for a host's VMs (their QEMU killed by {@link #killLeftovers}).
     *
     * @param stateDirectory the index of the hypervisor that ran them, which names its group
     * @param host the host
     */
    static void removeCgroups(Path stateDirectory, String host) {
        try {
            org.vireo.hypervisor.qemu.cgroup.CgroupTree tree = org.vireo.hypervisor.qemu.cgroup.CgroupTree.detect(Path.of("/"), "",
                    org.vireo.hypervisor.qemu.cgroup.CgroupTree.groupFor(stateDirectory));
            Path hostDir = tree.hostDirectory(host);
            if (Files.isDirectory(hostDir)) {
                try (var vms = Files.list(hostDir)) {
                    vms.filter(Files::isDirectory).forEach(vm -> tree.removeVm(host, vm.getFileName().toString()));
                }
                tree.removeHost(host);
            }
        } catch (IOException | RuntimeException e) {
            // no cgroups here: nothing was left
        }
    }

    static long qemusMentioning(Path directory) {
        ProcFs proc = ProcFs.system();
        return ProcessHandle.allProcesses().filter(p -> {
            String cmd = proc.cmdline(p.pid());
            return cmd.contains("qemu-system") && cmd.contains(directory.toString());
        }).count();
    }

    static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    private static String tail(String text) {
        List<String> lines = text.lines().toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 6), lines.size()));
    }
}
