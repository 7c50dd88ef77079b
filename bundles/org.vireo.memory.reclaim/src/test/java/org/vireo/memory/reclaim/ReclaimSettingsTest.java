package org.vireo.memory.reclaim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vireo.api.memory.MemoryState;
import org.vireo.api.model.InvalidSpecException;
import org.vireo.testing.Configs;

class ReclaimSettingsTest {
    private final ReclaimSettings esx = ReclaimSettings.DEFAULTS;

    @Test
    void statesChangeExactlyAtTheEsxThresholds() {
        long total = 10_000;
        assertEquals(MemoryState.HIGH, esx.stateOf(total, 10_000));
        assertEquals(MemoryState.HIGH, esx.stateOf(total, 600));
        assertEquals(MemoryState.SOFT, esx.stateOf(total, 599));
        assertEquals(MemoryState.SOFT, esx.stateOf(total, 400));
        assertEquals(MemoryState.HARD, esx.stateOf(total, 399));
        assertEquals(MemoryState.HARD, esx.stateOf(total, 200));
        assertEquals(MemoryState.LOW, esx.stateOf(total, 199));
        assertEquals(MemoryState.LOW, esx.stateOf(total, 0));
    }

    @Test
    void aThresholdThatFallsBetweenPagesIsRoundedUp() {
        // 6 % of 12,345 pages is 740.7: 741 free pages are needed for HIGH
        assertEquals(MemoryState.HIGH, esx.stateOf(12_345, 741));
        assertEquals(MemoryState.SOFT, esx.stateOf(12_345, 740));
    }

    @Test
    void aHostWithoutMemoryIsLow() {
        assertEquals(MemoryState.LOW, esx.stateOf(0, 0));
    }

    @Test
    void softAimsForHighAndHardAndLowAimForSoft() {
        assertEquals(600, esx.goalPages(MemoryState.SOFT, 10_000));
        assertEquals(400, esx.goalPages(MemoryState.HARD, 10_000));
        assertEquals(400, esx.goalPages(MemoryState.LOW, 10_000));
        assertEquals(0, esx.goalPages(MemoryState.HIGH, 10_000));
        assertEquals(800, esx.returnPages(10_000));
    }

    @Test
    void theConfigurationDefaultsAreTheDocumentedOnes() {
        ReclaimSettings fromConfig = IdleTaxReclaimPolicy.settings(Configs.of(IdleTaxReclaimPolicy.Config.class, Map.of()));
        assertEquals(ReclaimSettings.DEFAULTS, fromConfig);
        assertEquals(new ReclaimSettings(6.0, 4.0, 2.0, 8.0, 50, 0.75, 50, 75), fromConfig);
    }

    @Test
    void thresholdsOutOfOrderAreRefusedNamingTheProperty() {
        InvalidSpecException e = assertThrows(InvalidSpecException.class,
                () -> new ReclaimSettings(4.0, 4.0, 2.0, 8.0, 50, 0.75, 50, 75));
        assertEquals("highFreePercent", e.field());
        assertTrue(e.getMessage().contains("softFreePercent (4.0)"), e.getMessage());

        e = assertThrows(InvalidSpecException.class, () -> new ReclaimSettings(6.0, 1.0, 2.0, 8.0, 50, 0.75, 50, 75));
        assertEquals("softFreePercent", e.field());

        e = assertThrows(InvalidSpecException.class, () -> new ReclaimSettings(6.0, 4.0, 2.0, 5.0, 50, 0.75, 50, 75));
        assertEquals("returnFreePercent", e.field());
    }

    @Test
    void valuesOutOfRangeAreRefusedNamingTheProperty() {
        assertEquals("idleTax", assertThrows(InvalidSpecException.class,
                () -> new ReclaimSettings(6.0, 4.0, 2.0, 8.0, 50, 1.0, 50, 75)).field());
        assertEquals("hardFreePercent", assertThrows(InvalidSpecException.class,
                () -> new ReclaimSettings(6.0, 4.0, -1.0, 8.0, 50, 0.75, 50, 75)).field());
        assertEquals("returnPercent", assertThrows(InvalidSpecException.class,
                () -> new ReclaimSettings(6.0, 4.0, 2.0, 8.0, 101, 0.75, 50, 75)).field());
        assertEquals("lowSwapPercent", assertThrows(InvalidSpecException.class,
                () -> new ReclaimSettings(6.0, 4.0, 2.0, 8.0, 50, 0.75, 50, -5)).field());
        assertEquals("highFreePercent", assertThrows(InvalidSpecException.class,
                () -> new ReclaimSettings(Double.NaN, 4.0, 2.0, 8.0, 50, 0.75, 50, 75)).field());
    }
}
