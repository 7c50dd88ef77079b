package org.vireo.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.vireo.api.hypervisor.HostSnapshot;
import org.vireo.api.hypervisor.VmSnapshot;
import org.vireo.api.inventory.PolicyFamily;
import org.vireo.api.model.CpuQos;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;
import org.vireo.api.model.MemoryQos;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.WorkloadSpec;

/**
 * Memory overcommit on the simulated hypervisor with the runtime's memory bundles: the
 * {@code idle-tax} reclaim policy and the sharing, balloon and swap strategies, called by the
 * hypervisor once per host per reclaim interval. The clock is in batch pacing; every check of
 * the pages also proves, through the page account, that each VM's pages add up to its memory.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MemoryOvercommitIT extends SimTestSupport {
    /** The {@code desktop} profile's OS-image fraction of guest memory. */
    private static final double DESKTOP_IMAGE_FRACTION = 0.55;

    /**
     * Four {@code desktop} VMs booted from one image on a host with memory to spare: only page
     * sharing runs. Once the scanner has been over all their memory, every page that still holds
     * OS-image content is mapped to one host frame per image page, and the host saves at least
     * the OS-image fraction of their memory. A guest's write then copies exactly the page it
     * writes, for itself only.
     */
    @Test
    public void identicalDesktopsShareTheirImagePagesAndAWriteUnsharesExactlyTheWrittenPage() {
        hosts.addHost(HostSpec.of("share", 8, 2400, 16 * 1024, HypervisorKind.HYBRID));
        List<String> desktops = List.of("desk-1", "desk-2", "desk-3", "desk-4");
        for (String name : desktops) {
            vms.create(desktop(name, 1024), "share");
            vms.start(name);
        }
        // 4 GiB of guest memory at the sharing strategy's default 64 MiB per interval: a pass in 64 s
        run("80s");

        HostSnapshot host = hosts.host("share").live();
        long configured = desktops.size() * 1024 * MIB;
        assertTrue("saved " + host.sharedSavedPages() + " pages, at least the image fraction of " + configured,
                host.sharedSavedPages() >= DESKTOP_IMAGE_FRACTION * configured);
        JsonNode account = pages("share");
        long imageEnd = Math.round(1024 * MIB * DESKTOP_IMAGE_FRACTION);
        for (String name : desktops) {
            JsonNode vm = vmPages(account, name);
            JsonNode image = vm.get("pages").get("image");
            assertEquals(name + ": no OS-image page left private", 0, image.get("private").asLong());
            assertEquals(name + ": every OS-image page shared", vm.get("byContent").get("image").asLong(),
                    image.get("shared").asLong());
            assertTrue(name + " keeps most of its image pages", image.get("shared").asLong() > 0.9 * imageEnd);
            VmSnapshot live = vms.vm(name).live();
            assertEquals(live.memory().sharedPages(), vm.get("byLocation").get("shared").asLong());
        }
        long imageFrames = account.get("imageFrames").asLong();
        long imageReferences = account.get("imageReferences").asLong();
        assertTrue("one host frame per image page: " + imageFrames + " frames for " + imageEnd + " image pages",
                imageFrames <= imageEnd);
        assertTrue("the image pages of all but one desktop are saved: " + (imageReferences - imageFrames),
                imageReferences - imageFrames >= (desktops.size() - 1) * 0.9 * imageEnd);

        // a write to a shared OS-image page (page 100 lies below the working set) copies that page alone
        JsonNode before = account;
        text("sim:write desk-2 100");
        JsonNode after = pages("share");
        JsonNode writer = vmPages(after, "desk-2");
        JsonNode writerBefore = vmPages(before, "desk-2");
        assertEquals(writerBefore.get("byLocation").get("shared").asLong() - 1, writer.get("byLocation").get("shared").asLong());
        assertEquals(writerBefore.get("byLocation").get("private").asLong() + 1, writer.get("byLocation").get("private").asLong());
        assertEquals(writerBefore.get("copyOnWriteBreaks").asLong() + 1, writer.get("copyOnWriteBreaks").asLong());
        assertEquals(writerBefore.get("byContent").get("image").asLong() - 1, writer.get("byContent").get("image").asLong());
        assertNotEquals("the writer's content changed", writerBefore.get("contentDigest"), writer.get("contentDigest"));
        for (String other : List.of("desk-1", "desk-3", "desk-4")) {
            assertEquals(other + " is untouched", vmPages(before, other), vmPages(after, other));
        }
        assertEquals(before.get("sharedReferences").asLong() - 1, after.get("sharedReferences").asLong());
        assertEquals("the others still map the frame", before.get("sharedFrames").asLong(), after.get("sharedFrames").asLong());
        assertEquals(before.get("savedPages").asLong() - 1, after.get("savedPages").asLong());
    }

    /**
     * Four VMs whose configured memory exceeds what the host has left after its own part: from
     * the first reclaim interval the host is short of memory. The idle VM, whose idle pages are
     * taxed, has the lowest ρ and is the only one ballooned at first; the busy VMs give memory
     * only later, once taking from the idle one has raised its ρ to theirs; the VM whose memory
     * is all reserved is never ballooned nor swapped.
     */
    @Test
    public void underPressureTheIdleVmIsBalloonedFirstAndAReservationIsNeverTouched() {
        assertEquals("idle-tax", policies.list().stream()
                .filter(p -> p.family() == PolicyFamily.MEMORY && p.active()).findFirst().orElseThrow().name());
        hosts.addHost(HostSpec.of("tight", 8, 2400, 4096, HypervisorKind.HYBRID));
        vms.create(vm("lazy", 1, 1024, "idle", 0), "tight");
        vms.create(vm("busy", 2, 1024, "db", 0), "tight");
        vms.create(vm("pinned", 1, 1024, "idle", 1024), "tight");
        vms.create(vm("filler", 1, 512, "db", 0), "tight");
        for (String name : List.of("lazy", "busy", "pinned", "filler")) {
            vms.start(name);
        }
        HostSnapshot start = hosts.host("tight").live();
        assertEquals("the guests' memory exceeds what the host has: nothing is free", 0, start.freePages());

        run("1s");

        JsonNode first = pages("tight");
        assertTrue("the idle VM is ballooned first", ballooned(first, "lazy") > 0);
        for (String name : List.of("busy", "pinned", "filler")) {
            assertEquals(name + " gives nothing while the idle VM's ρ is the lowest", 0, ballooned(first, name) + swapped(first, name));
        }
        assertTrue("the host is under pressure: " + events("tight"), events("tight").contains("memory state HIGH -> LOW"));

        for (int second = 0; second < 20; second++) {
            run("1s");
            JsonNode now = pages("tight");
            JsonNode pinned = vmPages(now, "pinned");
            assertEquals("the reservation is never ballooned", 0, pinned.get("byLocation").get("ballooned").asLong());
            assertEquals("the reservation is never swapped", 0, pinned.get("byLocation").get("swapped").asLong());
            assertEquals(1024 * MIB, vms.vm("pinned").live().memory().residentPages());
        }
        JsonNode end = pages("tight");
        assertTrue("the busy VM gives memory too once the idle one's ρ has risen to its own",
                ballooned(end, "busy") > 0 || swapped(end, "busy") > 0);
        assertTrue("the idle VM gave the most", ballooned(end, "lazy") + swapped(end, "lazy")
                > ballooned(end, "busy") + swapped(end, "busy"));
        assertTrue(hosts.host("tight").live().freePages() > 0);
    }

    /**
     * Two VMs rewriting all their memory every second at the same steady CPU demand, one of them
     * with all its memory reserved. A third VM, reserved too, overcommits the host: only the
     * unreserved one can give memory back, and what is swapped of it is touched again at once and
     * read back at the datastore's latency. It makes less progress; its neighbour's progress is
     * exactly what it was.
     */
    @Test
    public void swappingSlowsOnlyTheSwappedVm() {
        hosts.addHost(HostSpec.of("thrash", 8, 2400, 2048, HypervisorKind.HYBRID));
        String rewriting = "custom:cpu=50,peak=50,ws=512,dirty=512";
        vms.create(vm("steady", 1, 512, rewriting, 512), "thrash");
        vms.create(vm("swappy", 1, 512, rewriting, 0), "thrash");
        vms.start("steady");
        vms.start("swappy");
        run("10s");
        double steady0 = work("steady");
        double swappy0 = work("swappy");
        run("20s");
        double steady1 = work("steady");
        double swappy1 = work("swappy");
        assertEquals("same demand, same progress while memory is plentiful", steady1 - steady0, swappy1 - swappy0, 1e-6);
        long faults1 = vmPages(pages("thrash"), "swappy").get("swapFaults").asLong();

        vms.create(vm("hog", 1, 768, "custom:cpu=1,peak=1,ws=16,dirty=0,random=1", 768), "thrash");
        vms.start("hog");
        run("20s");

        JsonNode account = pages("thrash");
        assertTrue("the unreserved VM was swapped", vmPages(account, "swappy").get("swapFaults").asLong() > faults1);
        assertEquals("the reserved neighbour was not", 0, vmPages(account, "steady").get("swapFaults").asLong());
        assertEquals(0, swapped(account, "steady") + ballooned(account, "steady"));
        assertEquals("the neighbour's progress is unchanged", steady1 - steady0, work("steady") - steady1, 1e-6);
        double swappy2 = work("swappy");
        assertTrue("the swapped VM progressed " + (swappy2 - swappy1) + " MHz·s instead of " + (swappy1 - swappy0),
                swappy2 - swappy1 < 0.9 * (swappy1 - swappy0));
        assertTrue(vms.vm("swappy").live().detail(), vms.vm("swappy").live().detail().contains("faulted back"));
    }

    private String events(String host) {
        return policies.named(org.vireo.api.hypervisor.Hypervisor.class, "sim").orElseThrow().events(host, 0).toString();
    }

    private static long ballooned(JsonNode account, String vm) {
        return vmPages(account, vm).get("byLocation").get("ballooned").asLong();
    }

    private static long swapped(JsonNode account, String vm) {
        return vmPages(account, vm).get("byLocation").get("swapped").asLong();
    }

    private static VmSpec desktop(String name, long memoryMiB) {
        return new VmSpec(name, 1, memoryMiB, CpuQos.DEFAULT, MemoryQos.DEFAULT, List.of(), List.of(),
                WorkloadSpec.parse("desktop"), "windows-11");
    }

    private static VmSpec vm(String name, int vcpus, long memoryMiB, String workload, long reservedMiB) {
        return new VmSpec(name, vcpus, memoryMiB, CpuQos.DEFAULT, new MemoryQos(reservedMiB, MemoryQos.DEFAULT_SHARES),
                List.of(), List.of(), WorkloadSpec.parse(workload), VmSpec.DEFAULT_IMAGE);
    }
}
