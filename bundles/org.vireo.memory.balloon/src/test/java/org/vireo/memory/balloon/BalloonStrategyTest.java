package org.vireo.memory.balloon;

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

class BalloonStrategyTest {
    private static final MemorySnapshot HOST = new MemorySnapshot("h", 1_000_000, 0, 10_000,
            List.of(new VmMemory("a", 100_000, 0, 1000, 100_000, 0, 0, 0, 0.1)));

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        assertEquals(BalloonSettings.DEFAULTS, BalloonStrategy.settings(Configs.of(BalloonStrategy.Config.class, Map.of())));
        BalloonStrategy balloon = new BalloonStrategy(Configs.of(BalloonStrategy.Config.class, Map.of()));
        assertEquals(MemoryTechnique.BALLOONING, balloon.technique());
        assertEquals(List.of(new MemoryAction("a", MemoryOperation.BALLOON_INFLATE, 16_384)),
                balloon.actions(HOST, List.of(new ReclaimRequest("a", MemoryTechnique.BALLOONING, 50_000))));
        assertEquals(List.of(), balloon.actions(HOST, List.of()));
    }

    @Test
    void theConfiguredRateApplies() {
        BalloonStrategy slow = new BalloonStrategy(
                Configs.of(BalloonStrategy.Config.class, Map.of("inflatePagesPerInterval", 256L)));
        assertEquals(List.of(new MemoryAction("a", MemoryOperation.BALLOON_INFLATE, 256)),
                slow.actions(HOST, List.of(new ReclaimRequest("a", MemoryTechnique.BALLOONING, 50_000))));
    }

    @Test
    void aBadConfigurationIsRefusedNamingTheProperty() {
        assertEquals("maxBalloonPercent", assertThrows(InvalidSpecException.class, () -> new BalloonStrategy(
                Configs.of(BalloonStrategy.Config.class, Map.of("maxBalloonPercent", 120)))).field());
        assertEquals("deflatePagesPerInterval", assertThrows(InvalidSpecException.class, () -> new BalloonStrategy(
                Configs.of(BalloonStrategy.Config.class, Map.of("deflatePagesPerInterval", -1L)))).field());
    }
}
