package org.vireo.hypervisor.sim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vireo.api.hypervisor.HostSnapshot;
import org.vireo.api.hypervisor.VmSnapshot;
import org.vireo.api.memory.MemoryAction;
import org.vireo.api.memory.MemoryOperation;
import org.vireo.api.memory.MemorySnapshot;
import org.vireo.api.memory.VmMemory;
import org.vireo.api.model.MemoryQos;

class MemoryOperationsTest {
    @Test
    void strategiesActionsAreCarriedOutOnThePageModelAndReservationsAreKept() {
        SimEngine e = new SimEngine(1, 1000, PolicySource.NONE, 1);
        e.attach(Fixtures.host("h", 4, 1000, 4096), Fixtures.BARE);
        e.start("h", Fixtures.vm("a", 1, 1024, "desktop"));
        e.start("h", Fixtures.vm("b", 1, 1024, "desktop").withMemory(new MemoryQos(768, 1000)));
        e.advance(2000);
        MemorySnapshot before = e.memorySnapshot("h");
        assertEquals(4096 * 256, before.totalPages());
        assertEquals(2, before.vms().size());
        long freeBefore = before.freePages();

        long[] done = e.carryOut("h", List.of(
                new MemoryAction("a", MemoryOperation.SHARE_SCAN, 1024 * 256),
                new MemoryAction("a", MemoryOperation.SHARE_SCAN, 1024 * 256),
                new MemoryAction("a", MemoryOperation.BALLOON_INFLATE, 10_000),
                new MemoryAction("b", MemoryOperation.SWAP_OUT, 1024 * 256),
                new MemoryAction("a", MemoryOperation.COMPRESS, 100),
                new MemoryAction("ghost", MemoryOperation.SWAP_OUT, 100)));
        assertTrue(done[0] > 0);
        assertEquals(0, done[1], "a second pass finds nothing new to share");
        assertEquals(10_000, done[2]);
        assertEquals(256 * 256, done[3], "swap stops at the reservation: 1024 MiB - 768 MiB");
        assertEquals(0, done[4]);
        assertEquals(0, done[5]);

        MemorySnapshot after = e.memorySnapshot("h");
        VmMemory a = after.vms().stream().filter(v -> v.vm().equals("a")).findFirst().orElseThrow();
        VmMemory b = after.vms().stream().filter(v -> v.vm().equals("b")).findFirst().orElseThrow();
        assertEquals(10_000, a.balloonedPages());
        assertEquals(256 * 256, b.swappedPages());
        assertEquals(768 * 256, b.reservedPages());
        assertTrue(after.freePages() > freeBefore, "sharing, ballooning and swapping free host memory");
        HostSnapshot host = e.snapshot("h");
        assertTrue(host.sharedSavedPages() > 0);
        VmSnapshot av = host.vm("a").orElseThrow();
        assertEquals(av.memory().residentPages(), av.memory().byContent().values().stream().mapToLong(Long::longValue).sum());
        assertTrue(e.events("h", 0).stream().anyMatch(ev -> ev.message().contains("COMPRESS")));
        assertEquals("", e.memory("h", "a").audit());
        assertEquals("", e.memory("h", "b").audit());
    }
}
