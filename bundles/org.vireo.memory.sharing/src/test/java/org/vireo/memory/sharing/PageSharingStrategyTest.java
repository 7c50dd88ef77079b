package org.vireo.memory.sharing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vireo.api.memory.MemoryAction;
import org.vireo.api.memory.MemoryOperation;
import org.vireo.api.memory.MemorySnapshot;
import org.vireo.api.memory.MemoryTechnique;
import org.vireo.api.memory.VmMemory;
import org.vireo.api.model.InvalidSpecException;
import org.vireo.testing.Configs;

class PageSharingStrategyTest {
    private static final MemorySnapshot HOST = new MemorySnapshot("h", 1_000_000, 0, 500_000,
            List.of(new VmMemory("a", 100_000, 0, 1000, 100_000, 0, 0, 0, 0.5)));

    @Test
    void scansTheConfiguredPagesEvenWithoutRequests() {
        PageSharingStrategy defaults = new PageSharingStrategy(Configs.of(PageSharingStrategy.Config.class, Map.of()));
        assertEquals(MemoryTechnique.SHARING, defaults.technique());
        assertEquals(List.of(new MemoryAction("a", MemoryOperation.SHARE_SCAN, 16_384)), defaults.actions(HOST, List.of()));

        PageSharingStrategy slow = new PageSharingStrategy(
                Configs.of(PageSharingStrategy.Config.class, Map.of("scanPagesPerInterval", 256L)));
        assertEquals(List.of(new MemoryAction("a", MemoryOperation.SHARE_SCAN, 256)), slow.actions(HOST, List.of()));
    }

    @Test
    void aNegativeScanRateIsRefusedNamingTheProperty() {
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> new PageSharingStrategy(
                Configs.of(PageSharingStrategy.Config.class, Map.of("scanPagesPerInterval", -1L))));
        assertEquals("scanPagesPerInterval", e.field());
    }
}
