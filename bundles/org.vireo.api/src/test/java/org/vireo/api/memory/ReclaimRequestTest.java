package org.vireo.api.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReclaimRequestTest {
    private static final VmMemory A = vm("a");
    private static final VmMemory B = vm("b");
    private static final MemorySnapshot HOST = new MemorySnapshot("h", 1 << 20, 0, 0, List.of(A, B));

    @Test
    void requestsOfTheTechniqueAreAddedUpPerVmInTheOrderTheVmsAreFirstAsked() {
        Map<VmMemory, Long> net = ReclaimRequest.netByVm(HOST, List.of(
                new ReclaimRequest("b", MemoryTechnique.BALLOONING, 100),
                new ReclaimRequest("a", MemoryTechnique.BALLOONING, 5),
                new ReclaimRequest("b", MemoryTechnique.BALLOONING, -30),
                new ReclaimRequest("a", MemoryTechnique.SWAPPING, 1000)), MemoryTechnique.BALLOONING);

        assertEquals(List.of(B, A), new ArrayList<>(net.keySet()));
        assertEquals(70L, net.get(B));
        assertEquals(5L, net.get(A));
    }

    @Test
    void aNetOfZeroIsKeptAndUnknownOrNullRequestsAreIgnored() {
        Map<VmMemory, Long> net = ReclaimRequest.netByVm(HOST, Arrays.asList(
                new ReclaimRequest("a", MemoryTechnique.SWAPPING, 10),
                null,
                new ReclaimRequest("gone", MemoryTechnique.SWAPPING, 10),
                new ReclaimRequest("a", MemoryTechnique.SWAPPING, -10)), MemoryTechnique.SWAPPING);

        assertEquals(Map.of(A, 0L), net);
    }

    @Test
    void ofAVmListedTwiceTheFirstEntryCounts() {
        VmMemory again = new VmMemory("a", 1, 0, 1000, 1, 0, 0, 0, 0);
        MemorySnapshot twice = new MemorySnapshot("h", 1 << 20, 0, 0, List.of(A, again));

        Map<VmMemory, Long> net = ReclaimRequest.netByVm(twice, List.of(new ReclaimRequest("a", MemoryTechnique.SHARING, 3)),
                MemoryTechnique.SHARING);

        assertSame(A, net.keySet().iterator().next());
    }

    @Test
    void aNetBeyondALongIsAnError() {
        List<ReclaimRequest> huge = List.of(new ReclaimRequest("a", MemoryTechnique.SWAPPING, Long.MAX_VALUE),
                new ReclaimRequest("a", MemoryTechnique.SWAPPING, 1));

        assertThrows(ArithmeticException.class, () -> ReclaimRequest.netByVm(HOST, huge, MemoryTechnique.SWAPPING));
    }

    private static VmMemory vm(String name) {
        return new VmMemory(name, 262_144, 0, 1000, 262_144, 0, 0, 0, 0.5);
    }
}
