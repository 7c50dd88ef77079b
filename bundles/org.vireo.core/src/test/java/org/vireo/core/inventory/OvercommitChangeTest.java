package org.vireo.core.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vireo.api.inventory.OvercommitSettings;
import org.vireo.api.model.InvalidSpecException;

/** Core's configuration changed and read back with {@link Settings}' rules, whatever the types ConfigAdmin hands over. */
class OvercommitChangeTest {
    private static OvercommitSettings read(Map<String, Object> properties) {
        return Settings.read(OvercommitChange.config(properties)).overcommitSettings(Settings.configuresGlobal(properties));
    }

    @Test
    void nothingConfiguredIsTheDefaultForEveryCluster() {
        OvercommitSettings none = read(Map.of());
        assertEquals(1.5, none.globalRatio());
        assertFalse(none.globalConfigured());
        assertEquals(1.5, none.ratioFor("prod"));
        assertFalse(none.hasOwnRatio("prod"));
    }

    @Test
    void valuesAreReadWhateverTheirTypeAndTheKeysCaseAsConfigAdminHandsThemOver() {
        OvercommitSettings fromCfg = read(Map.of("overcommitRatio", "2", "clusterOvercommit", "prod=3, lab = 0.5"));
        assertEquals(2.0, fromCfg.globalRatio());
        assertTrue(fromCfg.globalConfigured());
        assertEquals(Map.of("lab", 0.5, "prod", 3.0), fromCfg.clusterRatios());
        OvercommitSettings typed = read(Map.of("OvercommitRatio", 2.5f, "CLUSTEROVERCOMMIT", List.of("prod=1.2")));
        assertEquals(2.5, typed.globalRatio());
        assertEquals(1.2, typed.ratioFor("prod"));
        assertTrue(typed.hasOwnRatio("prod"));
        assertEquals(List.of(), typed.ignored());
    }

    @Test
    void whatIsNotValidIsIgnoredWithTheMessageCoreLogs() {
        OvercommitSettings bad = read(Map.of("overcommitRatio", 0.0, "clusterOvercommit",
                new String[] {"prod=2", "prod=3", "lab", "a b=2", "gold=101"}));
        assertEquals(1.5, bad.globalRatio(), "a global ratio that is not valid leaves the default");
        assertTrue(bad.globalConfigured());
        assertEquals(Map.of("prod", 2.0), bad.clusterRatios(), "of two entries for one cluster the first counts");
        assertEquals(List.of(
                "org.vireo.core.overcommitRatio: 0.0 is not allowed; expected a number from 0.1 to 100.0; using 1.5",
                "org.vireo.core.clusterOvercommit: 'prod=3' is not allowed; expected one entry per cluster; cluster 'prod' has the "
                        + "ratio 2.0 already; the entry is ignored",
                "org.vireo.core.clusterOvercommit: 'lab' is not allowed; expected CLUSTER=RATIO (e.g. prod=2.0); the entry is ignored",
                "org.vireo.core.clusterOvercommit: 'a b=2' is not allowed; expected CLUSTER=RATIO (e.g. prod=2.0) with a cluster name of "
                        + "1 to 63 characters: letters, digits, '.', '_' or '-', starting with a letter or digit; the entry is ignored",
                "org.vireo.core.clusterOvercommit: 'gold=101' is not allowed; expected CLUSTER=RATIO (e.g. prod=2.0) with a ratio from "
                        + "0.1 to 100.0; the entry is ignored"), bad.ignored());
        assertTrue(read(Map.of("overcommitRatio", "lots")).ignored().get(0).startsWith("org.vireo.core.overcommitRatio: cannot be "
                + "read ("), "a value that cannot be converted is reported as SCR's conversion failure is");
    }

    @Test
    void changingAClusterReplacesOnlyItsEntriesAndKeepsTheOthersAsWritten() {
        Map<String, Object> changed = OvercommitChange.apply(Map.of("clusterOvercommit", "prod=2, prod = 3,lab=bad",
                "monitorIntervalMillis", 100L), "prod", "1.25");
        assertEquals(List.of("lab=bad", "prod=1.25"), List.of((String[]) changed.get("clusterOvercommit")));
        assertEquals(100L, changed.get("monitorIntervalMillis"));
        assertFalse(OvercommitChange.apply(Map.of("overcommitRatio", 2.0), null, null).containsKey("overcommitRatio"));
        assertEquals(1.75, OvercommitChange.apply(Map.of(), null, " 1.75").get("overcommitRatio"));
        assertFalse(OvercommitChange.apply(Map.of("ClusterOvercommit", "prod=2"), "prod", null).containsKey("clusterOvercommit"),
                "no entry left: the attribute is removed");
    }

    @Test
    void aBadRatioOrClusterIsRefusedNamingTheFieldTheValueAsGivenAndTheRange() {
        for (String bad : List.of("0", "0.05", "100.5", "1000", "abc", "NaN", "-1", "")) {
            InvalidSpecException global = assertThrows(InvalidSpecException.class, () -> OvercommitChange.apply(Map.of(), null, bad));
            assertEquals("org.vireo.core.overcommitRatio: '" + bad + "' is not allowed; expected a number from 0.1 to 100.0",
                    global.getMessage());
            InvalidSpecException cluster = assertThrows(InvalidSpecException.class, () -> OvercommitChange.apply(Map.of(), "prod", bad));
            assertEquals("org.vireo.core.clusterOvercommit: 'prod=" + bad + "' is not allowed; expected CLUSTER=RATIO (e.g. prod=2.0) "
                    + "with a ratio from 0.1 to 100.0", cluster.getMessage());
        }
        assertEquals("cluster: 'no such' is not allowed; expected 1 to 63 characters: letters, digits, '.', '_' or '-', starting "
                + "with a letter or digit", assertThrows(InvalidSpecException.class,
                        () -> OvercommitChange.apply(Map.of(), "no such", "2")).getMessage());
    }
}
