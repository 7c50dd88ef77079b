package org.vireo.hypervisor.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vireo.api.hypervisor.VmSnapshot;
import org.vireo.api.model.CpuQos;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.VmState;
import org.vireo.api.model.WorkloadSpec;
import org.vireo.cpu.reservation.ReservationSharesPolicy;
import org.vireo.hypervisor.qemu.cgroup.VmCgroup;
import org.vireo.memory.sharing.PageSharingStrategy;
import org.vireo.testing.Configs;

/**
 * The shipped policies enforced on real guests (TCG, at most two at a time): CPU shares and
 * limits through cgroups, page sharing through KSM. Skipped, saying why, where QEMU cannot be
 * installed or cgroups (KSM) are not writable.
 */
class RealGuestQosTest {
    /** MHz of one core of the test host: a limit of 1200 MHz is half a core. */
    private static final long CORE_MHZ = 2400;

    @TempDir
    Path dir;

    private QemuHypervisor hypervisor;

    @AfterEach
    void tearDown() {
        RealGuests.cleanUp(hypervisor, dir, "h1");
    }

    private QemuHypervisor attach(Policies policies) throws Exception {
        hypervisor = RealGuests.hypervisor(dir.resolve("index"), Duration.ZERO, policies);
        hypervisor.attachHost(RealGuests.host("h1"), RealGuests.hosted());
        return hypervisor;
    }

    private VmSpec cpuBound(String name, CpuQos qos) {
        return VmSpec.of(name, 1, 256).withWorkload(WorkloadSpec.parse("batch")).withCpu(qos);
    }

    private String vmDir(String vm) {
        return dir.resolve("vms").resolve(vm).toString();
    }

    private VmCgroup cgroup(String vm) {
        return hypervisor.control("h1").cgroup(vm).orElseThrow(() -> new AssertionError(vm + " has no cgroup"));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** CPU time of each VM's cgroup over a window, in seconds. */
    private Map<String, Double> cpuSecondsOver(Duration window, String... vms) {
        Map<String, Long> before = new LinkedHashMap<>();
        for (String vm : vms) {
            before.put(vm, cgroup(vm).usageNanos().orElseThrow());
        }
        RealGuests.sleep(window.toMillis());
        Map<String, Double> used = new LinkedHashMap<>();
        for (String vm : vms) {
            used.put(vm, (cgroup(vm).usageNanos().orElseThrow() - before.get(vm)) / 1e9);
        }
        return used;
    }

    private static void pinToFirstCore(long pid) throws Exception {
        Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", "0", Long.toString(pid)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "taskset -a -p -c 0 " + pid + ": " + out);
    }

    @Test
    void twoCpuBoundGuestsOnOneCoreWithShares2To1GetCpuTime2To1() throws Exception {
        attach(Policies.fixed(new ReservationSharesPolicy(), null, List.of()));
        RealGuests.assumeCgroups(hypervisor, "h1");
        hypervisor.start("h1", cpuBound("hi", new CpuQos(null, 0, 2000)), vmDir("hi"));
        hypervisor.start("h1", cpuBound("lo", new CpuQos(null, 0, 1000)), vmDir("lo"));
        RealGuests.awaitEvent(hypervisor, "h1", "hi", VmState.RUNNING);
        RealGuests.awaitEvent(hypervisor, "h1", "lo", VmState.RUNNING);
        pinToFirstCore(hypervisor.vm("h1", "hi").pid());
        pinToFirstCore(hypervisor.vm("h1", "lo").pid());
        Path hiDir = cgroup("hi").directory();
        Path loDir = cgroup("lo").directory();
        RealGuests.await("the policy's shares written to the cgroups",
                () -> read(hiDir.resolve("cpu.shares")).equals("2000") && read(loDir.resolve("cpu.shares")).equals("1000")
                        || read(hiDir.resolve("cpu.weight")).equals("77") && read(loDir.resolve("cpu.weight")).equals("39"));
        RealGuests.sleep(1000); // both burning, pinned

        Map<String, Double> used = cpuSecondsOver(Duration.ofSeconds(6), "hi", "lo");

        double ratio = used.get("hi") / used.get("lo");
        System.out.printf(Locale.ROOT, "shares 2000:1000 on one core: %.2f s vs %.2f s of CPU in 6 s, ratio %.3f%n",
                used.get("hi"), used.get("lo"), ratio);
        assertTrue(ratio >= 1.8 && ratio <= 2.2, "CPU time ratio " + ratio + " is not within 10% of 2:1 (" + used + ")");
        RealGuests.await("the reported used MHz following the same ratio", () -> {
            VmSnapshot hi = hypervisor.snapshot("h1").vm("hi").orElseThrow();
            VmSnapshot lo = hypervisor.snapshot("h1").vm("lo").orElseThrow();
            double r = hi.cpu().usedMhz() / Math.max(1, lo.cpu().usedMhz());
            return r > 1.6 && r < 2.4 && hi.cpu().entitledMhz() > 0 && hi.cpu().demandMhz() > 0;
        });
        VmSnapshot hi = hypervisor.snapshot("h1").vm("hi").orElseThrow();
        assertTrue(hi.detail().contains("cgroup " + hiDir), hi.detail());

        hypervisor.stop("h1", "hi", true);
        hypervisor.stop("h1", "lo", true);

        assertFalse(Files.exists(hiDir) || Files.exists(loDir), "a stopped VM's cgroup is removed");
        assertEquals(0, RealGuests.qemusMentioning(dir));
    }

    @Test
    void aLimitOfHalfACoreHoldsAndALiveChangeAppliesAtTheNextInterval() throws Exception {
        attach(Policies.fixed(new ReservationSharesPolicy(), null, List.of()));
        RealGuests.assumeCgroups(hypervisor, "h1");
        // boots unlimited (a guest held at half a core boots at half speed), then is limited live
        hypervisor.start("h1", cpuBound("capped", CpuQos.DEFAULT), vmDir("capped"));
        RealGuests.awaitEvent(hypervisor, "h1", "capped", VmState.RUNNING);
        VmCgroup group = cgroup("capped");
        Path quota = group.directory().resolve(group.version() == org.vireo.hypervisor.qemu.cgroup.CgroupTree.Version.V1
                ? "cpu.cfs_quota_us" : "cpu.max");
        hypervisor.reconfigure("h1", cpuBound("capped", new CpuQos(CORE_MHZ / 2, 0, 1000)));
        RealGuests.await("a quota of half the period", () -> read(quota).startsWith("50000"));
        RealGuests.sleep(1000);
        long throttledBefore = group.throttling().throttledPeriods();

        double half = cpuSecondsOver(Duration.ofSeconds(5), "capped").get("capped") / 5;

        System.out.printf(Locale.ROOT, "limit 1200 MHz of a 2400 MHz core: %.3f of a core%n", half);
        assertTrue(half >= 0.45 && half <= 0.55, "a 50% limit gave " + half + " of a core");
        assertTrue(group.throttling().throttledPeriods() > throttledBefore, "the quota, not the guest, held it back");
        VmSnapshot figures = hypervisor.snapshot("h1").vm("capped").orElseThrow();
        assertEquals(CORE_MHZ / 2.0, figures.cpu().entitledMhz(), 1e-6, "the policy's entitlement is reported");
        assertTrue(Math.abs(figures.cpu().usedMhz() - CORE_MHZ / 2.0) < CORE_MHZ * 0.1, "used read back: " + figures.cpu());
        assertTrue(figures.cpu().demandMhz() > figures.cpu().usedMhz(), "held back, it wants more: " + figures.cpu());

        hypervisor.reconfigure("h1", cpuBound("capped", new CpuQos(CORE_MHZ / 4, 0, 1000)));
        RealGuests.await("a quota of a quarter of the period", () -> read(quota).startsWith("25000"));
        double quarter = cpuSecondsOver(Duration.ofSeconds(3), "capped").get("capped") / 3;

        System.out.printf(Locale.ROOT, "limit 600 MHz: %.3f of a core%n", quarter);
        assertTrue(quarter >= 0.225 && quarter <= 0.275, "a 25% limit gave " + quarter + " of a core");

        hypervisor.stop("h1", "capped", true);
        assertEquals(0, RealGuests.qemusMentioning(dir));
    }

    @Test
    void twoIdenticalGuestsShareMemoryThroughKsmWhichIsLeftAsFound() throws Exception {
        Path ksm = Path.of("/sys/kernel/mm/ksm");
        Assumptions.assumeTrue(Files.isWritable(ksm.resolve("run")), "KSM is not available or not writable here: " + ksm);
        Map<String, String> found = new LinkedHashMap<>();
        for (String f : KsmControl.SETTINGS) {
            found.put(f, read(ksm.resolve(f)));
        }
        attach(Policies.fixed(null, null, List.of(new PageSharingStrategy(Configs.defaults(PageSharingStrategy.Config.class)))));
        hypervisor.start("h1", VmSpec.of("k1", 1, 256), vmDir("k1"));
        hypervisor.start("h1", VmSpec.of("k2", 1, 256), vmDir("k2"));
        RealGuests.awaitEvent(hypervisor, "h1", "k1", VmState.RUNNING);
        RealGuests.awaitEvent(hypervisor, "h1", "k2", VmState.RUNNING);

        RealGuests.await("KSM running and sharing pages", () -> read(ksm.resolve("run")).equals("1")
                && Long.parseLong(read(ksm.resolve("pages_sharing"))) > 0);
        RealGuests.await("the guests' merged pages in their figures and the host's savings",
                () -> hypervisor.snapshot("h1").vms().stream().allMatch(v -> v.memory().sharedPages() > 0)
                        && hypervisor.snapshot("h1").sharedSavedPages() > 0);
        System.out.printf(Locale.ROOT, "KSM: pages_sharing %s, k1 merged %d pages, k2 %d%n", read(ksm.resolve("pages_sharing")),
                hypervisor.snapshot("h1").vm("k1").orElseThrow().memory().sharedPages(),
                hypervisor.snapshot("h1").vm("k2").orElseThrow().memory().sharedPages());
        assertTrue(hypervisor.snapshot("h1").detail().contains("KSM: on"), hypervisor.snapshot("h1").detail());

        hypervisor.stop("h1", "k1", true);
        hypervisor.stop("h1", "k2", true);
        hypervisor.deactivate();
        hypervisor = null;

        for (Map.Entry<String, String> e : found.entrySet()) {
            assertEquals(e.getValue(), read(ksm.resolve(e.getKey())), "KSM " + e.getKey() + " left as found");
        }
        assertFalse(Files.exists(dir.resolve("index/.ksm-found.properties")));
        assertEquals(0, RealGuests.qemusMentioning(dir));
    }
}
