package org.vireo.hypervisor.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vireo.api.hypervisor.HostSnapshot;
import org.vireo.api.hypervisor.HypervisorEvent;
import org.vireo.api.hypervisor.HypervisorException;
import org.vireo.api.hypervisor.VmSnapshot;
import org.vireo.api.memory.MemoryReclaimPolicy;
import org.vireo.api.memory.MemoryState;
import org.vireo.api.memory.MemoryTechnique;
import org.vireo.api.memory.ReclaimPlan;
import org.vireo.api.memory.ReclaimRequest;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.VmState;
import org.vireo.api.model.WorkloadSpec;
import org.vireo.memory.balloon.BalloonStrategy;
import org.vireo.testing.Configs;

/**
 * Real guests under QEMU (TCG): at most two at a time, each booting in a few seconds. Skipped,
 * saying why, only where QEMU cannot be installed.
 */
class RealGuestTest {
    @TempDir
    Path dir;

    private QemuHypervisor hypervisor;

    @BeforeEach
    void setUp() throws Exception {
        hypervisor = RealGuests.hypervisor(dir.resolve("index"), Duration.ZERO);
        hypervisor.attachHost(RealGuests.host("h1"), RealGuests.hosted());
    }

    @AfterEach
    void tearDown() {
        RealGuests.cleanUp(hypervisor, dir, "h1");
    }

    private String vmDir(String vm) {
        return dir.resolve("vms").resolve(vm).toString();
    }

    @Test
    void aGuestBootsToItsBannerPausesAndResumesThroughQmpAndPowersOffOnStop() throws Exception {
        VmSpec spec = VmSpec.of("web1", 1, 256).withWorkload(WorkloadSpec.parse("custom:cpu=40"));

        VmSnapshot started = hypervisor.start("h1", spec, vmDir("web1"));

        assertEquals(VmState.STARTING, started.state());
        HypervisorEvent running = RealGuests.awaitEvent(hypervisor, "h1", "web1", VmState.RUNNING);
        assertTrue(running.message().contains("VIREO-GUEST READY"), running.message());
        QemuVm vm = hypervisor.vm("h1", "web1");
        Path vmDirectory = Path.of(vmDir("web1"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(vmDirectory)));
        for (String f : new String[] {"console.log", "qemu.log", "qmp.sock", "qemu.json", "qemu.pid"}) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(vmDirectory.resolve(f))), f);
        }
        assertEquals(String.valueOf(vm.pid()), Files.readString(vmDirectory.resolve("qemu.pid")).trim(),
                "the process Vireo watches is QEMU itself");
        hypervisor.control("h1").cgroup("web1").ifPresent(group -> {
            for (Path d : group.directories()) {
                assertEquals(String.valueOf(vm.pid()), RealGuests.readQuietly(d.resolve("cgroup.procs")).lines().findFirst().orElse(""),
                        "QEMU sits in its cgroup " + d);
            }
            assertEquals(java.util.Optional.of((256L + Settings.DEFAULT_MEMORY_OVERHEAD_MIB) << 20), group.memoryLimit(),
                    "memory limit: the guest's memory plus QEMU's overhead");
        });
        Heartbeat beat = RealGuests.awaitHeartbeatAfter(vm, 2);
        assertTrue(beat.iterations() > 0, "the workload burns CPU");

        RealGuests.await("figures sampled from /proc", () -> hypervisor.snapshot("h1").vm("web1").orElseThrow().cpu().usedMhz() > 0);
        VmSnapshot figures = hypervisor.snapshot("h1").vm("web1").orElseThrow();
        assertEquals(VmState.RUNNING, figures.state());
        assertTrue(figures.memory().residentPages() > 0, "resident memory from /proc/PID/status");
        assertTrue(figures.cpu().workMhzSeconds() > 0);
        assertTrue(figures.detail().contains("pid " + vm.pid()) && figures.detail().contains("TCG"), figures.detail());

        hypervisor.pause("h1", "web1");
        assertEquals(VmState.PAUSED, hypervisor.snapshot("h1").vm("web1").orElseThrow().state());
        long frozen = vm.heartbeat().orElseThrow().seconds();
        long consoleSize = Files.size(vmDirectory.resolve("console.log"));
        RealGuests.sleep(2500);
        assertEquals(consoleSize, Files.size(vmDirectory.resolve("console.log")), "a paused guest prints nothing");

        hypervisor.resume("h1", "web1");
        assertEquals(VmState.RUNNING, hypervisor.snapshot("h1").vm("web1").orElseThrow().state());
        RealGuests.awaitHeartbeatAfter(vm, frozen);

        hypervisor.stop("h1", "web1", false);

        assertTrue(hypervisor.snapshot("h1").vm("web1").isEmpty(), "a stopped VM holds nothing");
        assertTrue(Files.readString(vmDirectory.resolve("console.log")).contains("VIREO-GUEST POWEROFF"),
                "the guest handled the power button");
        assertTrue(hypervisor.events("h1", 0).stream().anyMatch(e -> "web1".equals(e.vm()) && e.message().contains("powered off")));
        assertFalse(Files.exists(vmDirectory.resolve("qemu.json")) || Files.exists(vmDirectory.resolve("qmp.sock")));
        assertEquals(0, RealGuests.qemusMentioning(dir));
        HypervisorException again = assertThrows(HypervisorException.class, () -> hypervisor.pause("h1", "web1"));
        assertTrue(again.getMessage().contains("web1") && again.getMessage().contains("h1"), again.getMessage());
    }

    @Test
    void aQemuProcessThatDiesMarksOnlyItsVmCrashed() throws Exception {
        hypervisor.start("h1", VmSpec.of("a", 1, 256), vmDir("a"));
        hypervisor.start("h1", VmSpec.of("b", 1, 256), vmDir("b"));
        RealGuests.awaitEvent(hypervisor, "h1", "a", VmState.RUNNING);
        RealGuests.awaitEvent(hypervisor, "h1", "b", VmState.RUNNING);
        QemuVm b = hypervisor.vm("h1", "b");
        long before = RealGuests.awaitHeartbeatAfter(b, 0).seconds();

        ProcessHandle.of(hypervisor.vm("h1", "a").pid()).orElseThrow().destroyForcibly(); // not through Vireo

        HypervisorEvent crashed = RealGuests.awaitEvent(hypervisor, "h1", "a", VmState.CRASHED);
        assertTrue(crashed.message().contains("ended unexpectedly"), crashed.message());
        RealGuests.awaitHeartbeatAfter(b, before + 2);
        HostSnapshot host = hypervisor.snapshot("h1");
        assertTrue(host.vm("a").isEmpty());
        assertEquals(VmState.RUNNING, host.vm("b").orElseThrow().state());
        assertFalse(Files.exists(Path.of(vmDir("a"), "qemu.json")), "the dead VM's runtime files are gone");

        hypervisor.crash("h1", "b");

        assertEquals(VmState.CRASHED, RealGuests.awaitEvent(hypervisor, "h1", "b", VmState.CRASHED).state());
        assertEquals(0, RealGuests.qemusMentioning(dir));
    }

    @Test
    void ballooningToHalfShrinksTheGuestsOwnMemTotal() throws Exception {
        // A reclaim plan that wants half of every VM's memory back; the shipped balloon strategy
        // turns it into inflate operations of at most 64 MiB per interval, the hypervisor into
        // balloon targets.
        MemoryReclaimPolicy half = (host, available) -> new ReclaimPlan(MemoryState.SOFT, host.vms().stream()
                .filter(v -> v.balloonedPages() < v.configuredPages() / 2)
                .map(v -> new ReclaimRequest(v.vm(), MemoryTechnique.BALLOONING, v.configuredPages() / 2 - v.balloonedPages()))
                .toList());
        hypervisor.deactivate();
        hypervisor = RealGuests.hypervisor(dir.resolve("index"), Duration.ZERO, Policies.fixed(null, half,
                List.of(new BalloonStrategy(Configs.defaults(BalloonStrategy.Config.class)))));
        hypervisor.attachHost(RealGuests.host("h1"), RealGuests.hosted());
        hypervisor.start("h1", VmSpec.of("m", 1, 512), vmDir("m"));
        RealGuests.awaitEvent(hypervisor, "h1", "m", VmState.RUNNING);
        QemuVm vm = hypervisor.vm("h1", "m");
        // the balloon may inflate before the first heartbeat: compare with the configured 512 MiB,
        // of which an unballooned guest shows about 468 MB as MemTotal
        long configuredKiB = 512L * 1024;

        RealGuests.await("the guest's MemTotal shrinking below 60% of its " + configuredKiB + " KiB",
                () -> vm.heartbeat().map(h -> h.memTotalKiB() < configuredKiB * 0.6).orElse(false));
        RealGuests.await("QEMU reporting the balloon at 256 MiB", () -> vm.balloonBytes() == 256L * 1024 * 1024);
        RealGuests.await("the snapshot showing 256 MiB ballooned",
                () -> hypervisor.snapshot("h1").vm("m").orElseThrow().memory().balloonedPages() == 256L * 256);
        RealGuests.sleep(1500);
        assertEquals(256L * 1024 * 1024, vm.balloonBytes(), "once the plan is met, the balloon stays");

        hypervisor.stop("h1", "m", true);
        assertEquals(0, RealGuests.qemusMentioning(dir));
    }

    @Test
    void afterAKill9OfTheRuntimeLiveGuestsAreReattachedAndDeadOnesReportedStopped() throws Exception {
        hypervisor.deactivate();
        hypervisor = null;
        Path index = dir.resolve("index");
        // A separate JVM plays the runtime: it starts two guests, pauses one, and is killed with SIGKILL.
        Process runtime = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RuntimeStandIn.class.getName(),
                index.toString(), RealGuests.guest().directory().toString(), vmDir("live"), vmDir("dead"))
                .redirectErrorStream(true).start();
        String ready = new String(runtime.getInputStream().readNBytes(6), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals("READY\n", ready, "the stand-in runtime started both guests");
        runtime.destroyForcibly();
        runtime.waitFor();
        VmRecord dead = VmRecord.read(Path.of(vmDir("dead"), "qemu.json"));
        ProcessHandle deadQemu = ProcessHandle.of(dead.pid()).orElseThrow();
        deadQemu.destroyForcibly(); // it dies while no runtime watches it
        deadQemu.onExit().get();
        assertEquals(1, RealGuests.qemusMentioning(dir), "the live guest outlived its runtime");

        hypervisor = RealGuests.hypervisor(index, Duration.ZERO);
        HostSnapshot attached = hypervisor.attachHost(RealGuests.host("h1"), RealGuests.hosted());

        assertEquals(Map.of("live", VmState.PAUSED), Map.of(attached.vms().get(0).name(), attached.vms().get(0).state()));
        assertEquals(1, attached.vms().size());
        HypervisorEvent gone = RealGuests.awaitEvent(hypervisor, "h1", "dead", VmState.STOPPED);
        assertTrue(gone.message().contains("gone"), gone.message());
        assertFalse(Files.exists(Path.of(vmDir("dead"), "qemu.json")), "stale qemu.json removed");
        assertFalse(Files.exists(Path.of(vmDir("dead"), "qmp.sock")), "stale socket removed");
        QemuVm live = hypervisor.vm("h1", "live");
        if (hypervisor.control("h1").enforcing()) {
            Path hostGroup = hypervisor.control("h1").cgroup("live").orElseThrow().directory().getParent();
            assertTrue(RealGuests.readQuietly(hostGroup.resolve("live/cgroup.procs")).contains(String.valueOf(live.pid())),
                    "the re-attached QEMU is in its cgroup");
            assertFalse(Files.exists(hostGroup.resolve("dead")), "the dead VM's cgroup is removed");
        }
        long frozen = live.heartbeat().map(Heartbeat::seconds).orElse(0L); // paused right after its banner
        hypervisor.resume("h1", "live");
        RealGuests.awaitHeartbeatAfter(live, frozen);

        hypervisor.stop("h1", "live", false);

        assertEquals(0, RealGuests.qemusMentioning(dir), "no QEMU is left unaccounted for");
    }

    @Test
    void theKvmProbeGivesHostInfoAVerdictAndAHybridHostFollowsIt() throws Exception {
        hypervisor.deactivate();
        hypervisor = RealGuests.hypervisor(dir.resolve("index2"), Duration.ofSeconds(10));
        hypervisor.attachHost(RealGuests.host("h1"), RealGuests.hosted());

        KvmProbe.Verdict verdict = hypervisor.kvmVerdict();

        String detail = hypervisor.snapshot("h1").detail();
        assertTrue(detail.contains("KVM probe: " + (verdict.usable() ? "usable" : "unusable")) && detail.contains(verdict.reason()),
                detail);
        assertTrue(detail.startsWith("QEMU ") && detail.contains("TCG"), detail);
        if (verdict.usable()) {
            assertTrue(verdict.reason().contains("booted"), verdict.reason());
            hypervisor.attachHost(RealGuests.host("h2").withHypervisor("qemu"),
                    RealGuests.hosted()); // a hosted host still runs TCG next to KVM ones
        } else {
            HypervisorException e = assertThrows(HypervisorException.class, () -> hypervisor.attachHost(
                    new org.vireo.api.model.HostSpec("h2", "default", 2, 2400, 8192, org.vireo.api.model.HypervisorKind.HYBRID,
                            "qemu", org.vireo.api.model.CpuModel.DEFAULT, java.util.List.of(org.vireo.api.model.DatastoreSpec.LOCAL),
                            10000), RealGuests.hosted()));
            assertTrue(e.getMessage().contains(verdict.reason()), e.getMessage());
        }
        assertEquals(0, RealGuests.qemusMentioning(dir));
    }
}
