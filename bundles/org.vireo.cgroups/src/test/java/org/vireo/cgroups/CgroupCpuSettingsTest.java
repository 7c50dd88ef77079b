package org.vireo.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vireo.api.model.InvalidSpecException;

class CgroupCpuSettingsTest {
    @Test
    void withoutQuotaV1WritesMinusOneAndV2WritesMax() {
        CgroupCpuSettings s = new CgroupCpuSettings("vm1", 100_000, -1, 1024, 39);
        assertFalse(s.isCapped());
        assertEquals(Map.of("cpu.cfs_period_us", "100000", "cpu.cfs_quota_us", "-1", "cpu.shares", "1024"), s.v1());
        assertEquals(Map.of("cpu.max", "max 100000", "cpu.weight", "39"), s.v2());
    }

    @Test
    void withQuotaBothVersionsCarryIt() {
        CgroupCpuSettings s = new CgroupCpuSettings("vm1", 50_000, 1_000, 2, 1);
        assertTrue(s.isCapped());
        assertEquals("1000", s.v1().get("cpu.cfs_quota_us"));
        assertEquals("1000 50000", s.v2().get("cpu.max"));
    }

    @Test
    void filesComeInTheOrderToWriteThemAndCannotBeChanged() {
        CgroupCpuSettings s = new CgroupCpuSettings("vm1", 100_000, 66_666, 1000, 39);
        assertEquals(List.of("cpu.cfs_period_us", "cpu.cfs_quota_us", "cpu.shares"), List.copyOf(s.v1().keySet()));
        assertEquals(List.of("cpu.max", "cpu.weight"), List.copyOf(s.v2().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> s.v1().put("cpu.shares", "1"));
    }

    @Test
    void valuesTheKernelRefusesAreRefusedNamingTheField() {
        assertEquals("periodUs", assertThrows(InvalidSpecException.class,
                () -> new CgroupCpuSettings("vm1", 999, -1, 2, 1)).field());
        assertEquals("periodUs", assertThrows(InvalidSpecException.class,
                () -> new CgroupCpuSettings("vm1", 1_000_001, -1, 2, 1)).field());
        assertEquals("quotaUs", assertThrows(InvalidSpecException.class,
                () -> new CgroupCpuSettings("vm1", 100_000, 999, 2, 1)).field());
        assertEquals("quotaUs", assertThrows(InvalidSpecException.class,
                () -> new CgroupCpuSettings("vm1", 100_000, -2, 2, 1)).field());
        assertEquals("quotaUs", assertThrows(InvalidSpecException.class,
                () -> new CgroupCpuSettings("vm1", 100_000, CgroupCpuSettings.MAX_QUOTA_US + 1, 2, 1)).field());
        assertEquals("shares", assertThrows(InvalidSpecException.class,
                () -> new CgroupCpuSettings("vm1", 100_000, -1, 1, 1)).field());
        assertEquals("shares", assertThrows(InvalidSpecException.class,
                () -> new CgroupCpuSettings("vm1", 100_000, -1, 262_145, 1)).field());
        assertEquals("weight", assertThrows(InvalidSpecException.class,
                () -> new CgroupCpuSettings("vm1", 100_000, -1, 2, 0)).field());
        assertEquals("weight", assertThrows(InvalidSpecException.class,
                () -> new CgroupCpuSettings("vm1", 100_000, -1, 2, 10_001)).field());
        assertEquals("vm", assertThrows(InvalidSpecException.class,
                () -> new CgroupCpuSettings("../x", 100_000, -1, 2, 1)).field());
    }
}
