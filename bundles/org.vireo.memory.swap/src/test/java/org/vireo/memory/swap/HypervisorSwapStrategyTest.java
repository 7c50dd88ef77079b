package org.vireo.memory.swap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vireo.api.memory.MemoryAction;
import org.vireo.api.memory.MemoryOperation;
import org.vireo.api.memory.MemorySnapshot;
import org.vireo.api.memory.MemoryTechnique;
import org.vireo.api.memory.ReclaimRequest;
import org.vireo.api.memory.VmMemory;
import org.vireo.api.model.InvalidSpecException;
import org.vireo.testing.Configs;

class HypervisorSwapStrategyTest {
    private static final MemorySnapshot HOST = new MemorySnapshot("h", 1_000_000, 0, 10_000,
            List.of(new VmMemory("a", 100_000, 0, 1000, 100_000, 0, 0, 40_000, 0.1)));

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        assertEquals(SwapSettings.DEFAULTS,
                HypervisorSwapStrategy.settings(Configs.of(HypervisorSwapStrategy.Config.class, Map.of())));
        HypervisorSwapStrategy swap = new HypervisorSwapStrategy(Configs.of(HypervisorSwapStrategy.Config.class, Map.of()));
        assertEquals(MemoryTechnique.SWAPPING, swap.technique());
        assertEquals(List.of(new MemoryAction("a", MemoryOperation.SWAP_OUT, 16_384)),
                swap.actions(HOST, List.of(new ReclaimRequest("a", MemoryTechnique.SWAPPING, 50_000))));
        assertEquals(List.of(new MemoryAction("a", MemoryOperation.SWAP_IN, 16_384)),
                swap.actions(HOST, List.of(new ReclaimRequest("a", MemoryTechnique.SWAPPING, -50_000))));
    }

    @Test
    void aBadConfigurationIsRefusedNamingTheProperty() {
        assertEquals("swapInPagesPerInterval", assertThrows(InvalidSpecException.class, () -> new HypervisorSwapStrategy(
                Configs.of(HypervisorSwapStrategy.Config.class, Map.of("swapInPagesPerInterval", -3L)))).field());
    }
}
