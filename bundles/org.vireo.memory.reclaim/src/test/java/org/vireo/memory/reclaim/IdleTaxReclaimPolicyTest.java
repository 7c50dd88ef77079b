package org.vireo.memory.reclaim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vireo.api.memory.MemorySnapshot;
import org.vireo.api.memory.MemoryState;
import org.vireo.api.memory.MemoryTechnique;
import org.vireo.api.memory.ReclaimRequest;
import org.vireo.api.memory.VmMemory;
import org.vireo.api.model.InvalidSpecException;
import org.vireo.testing.Configs;

class IdleTaxReclaimPolicyTest {
    private static final MemorySnapshot HOST = new MemorySnapshot("h", 10_000, 0, 450,
            List.of(new VmMemory("a", 9_000, 0, 1000, 9_000, 0, 0, 0, 0.5)));

    @Test
    void theConfiguredThresholdsDecide() {
        IdleTaxReclaimPolicy esx = new IdleTaxReclaimPolicy(Configs.of(IdleTaxReclaimPolicy.Config.class, Map.of()));
        assertEquals(MemoryState.SOFT, esx.plan(HOST, EnumSet.allOf(MemoryTechnique.class)).state());
        assertEquals(List.of(new ReclaimRequest("a", MemoryTechnique.BALLOONING, 150)),
                esx.plan(HOST, EnumSet.allOf(MemoryTechnique.class)).requests());

        IdleTaxReclaimPolicy tight = new IdleTaxReclaimPolicy(Configs.of(IdleTaxReclaimPolicy.Config.class,
                Map.of("highFreePercent", 4.5, "softFreePercent", 3.0, "hardFreePercent", 1.0)));
        assertEquals(MemoryState.HIGH, tight.plan(HOST, EnumSet.allOf(MemoryTechnique.class)).state());
    }

    @Test
    void aBadConfigurationIsRefusedNamingTheProperty() {
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> new IdleTaxReclaimPolicy(
                Configs.of(IdleTaxReclaimPolicy.Config.class, Map.of("idleTax", 1.5))));
        assertEquals("idleTax", e.field());
    }
}
