package org.vireo.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration read with core's rules, so that the shell shows what admission uses. */
class OvercommitRatiosTest {
    @Test
    void nothingConfiguredIsTheDefaultForEveryCluster() {
        OvercommitRatios none = OvercommitRatios.of(Map.of());
        assertEquals(1.5, none.global());
        assertFalse(none.globalConfigured());
        assertEquals(new OvercommitRatios.Applied(1.5, null), none.applied("prod"));
        assertTrue(none.applied("prod").isGlobal());
    }

    @Test
    void valuesAreReadWhateverTheirTypeAndTheKeysCaseAsConfigAdminHandsThemOver() {
        OvercommitRatios fromCfg = OvercommitRatios.of(Map.of("overcommitRatio", "2", "clusterOvercommit", "prod=3, lab = 0.5"));
        assertEquals(2.0, fromCfg.global());
        assertEquals(Map.of("lab", 0.5, "prod", 3.0), fromCfg.clusters());
        OvercommitRatios typed = OvercommitRatios.of(Map.of("OvercommitRatio", 2.5f, "CLUSTEROVERCOMMIT", List.of("prod=1.2")));
        assertEquals(2.5, typed.global());
        assertEquals(new OvercommitRatios.Applied(1.2, "prod"), typed.applied("prod"));
        assertEquals(List.of(), typed.ignored());
    }

    @Test
    void whatCoreIgnoresIsIgnoredHereTooWithCoresMessage() {
        OvercommitRatios bad = OvercommitRatios.of(Map.of("overcommitRatio", 0.0, "clusterOvercommit",
                new String[] {"prod=2", "prod=3", "lab", "a b=2", "gold=101"}));
        assertEquals(1.5, bad.global(), "a global ratio that is not valid leaves the default");
        assertTrue(bad.globalConfigured());
        assertEquals(Map.of("prod", 2.0), bad.clusters(), "of two entries for one cluster the first counts");
        assertEquals(List.of(
                "org.vireo.core.overcommitRatio: 0.0 is not allowed; expected a number from 0.1 to 100.0; using 1.5",
                "org.vireo.core.clusterOvercommit: 'prod=3' is not allowed; expected one entry per cluster; cluster 'prod' has the "
                        + "ratio 2.0 already; the entry is ignored",
                "org.vireo.core.clusterOvercommit: 'lab' is not allowed; expected CLUSTER=RATIO (e.g. prod=2.0); the entry is ignored",
                "org.vireo.core.clusterOvercommit: 'a b=2' is not allowed; expected CLUSTER=RATIO (e.g. prod=2.0) with a cluster name of "
                        + "1 to 63 characters: letters, digits, '.', '_' or '-', starting with a letter or digit; the entry is ignored",
                "org.vireo.core.clusterOvercommit: 'gold=101' is not allowed; expected CLUSTER=RATIO (e.g. prod=2.0) with a ratio from "
                        + "0.1 to 100.0; the entry is ignored"), bad.ignored());
        assertEquals("org.vireo.core.overcommitRatio: 'lots' is not allowed; expected a number from 0.1 to 100.0; using 1.5",
                OvercommitRatios.of(Map.of("overcommitRatio", "lots")).ignored().get(0));
    }

    @Test
    void changingAClusterReplacesOnlyItsEntriesAndKeepsTheOthersAsWritten() {
        Map<String, Object> changed = OvercommitRatios.withCluster(Map.of("clusterOvercommit", "prod=2, prod = 3,lab=bad",
                "monitorIntervalMillis", 100L), "prod", 1.25);
        assertEquals(List.of("lab=bad", "prod=1.25"), List.of((String[]) changed.get("clusterOvercommit")));
        assertEquals(100L, changed.get("monitorIntervalMillis"));
        assertFalse(OvercommitRatios.withGlobal(Map.of("overcommitRatio", 2.0), null).containsKey("overcommitRatio"));
    }
}
