package org.vireo.core.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vireo.api.model.InvalidSpecException;

class SettingsTest {
    private final List<String> warnings = new ArrayList<>();
    private final Logger log = Logger.getLogger(Settings.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            warnings.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        log.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        log.removeHandler(capture);
    }

    /**
     * @param ratio the global ratio, as SCR would hand it over
     * @param interval the poll interval
     * @param clusters the values of {@code clusterOvercommit}
     * @return the configuration
     */
    static CoreConfig config(DoubleSupplier ratio, long interval, String... clusters) {
        return new CoreConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return CoreConfig.class;
            }

            @Override
            public double overcommitRatio() {
                return ratio.getAsDouble();
            }

            @Override
            public long monitorIntervalMillis() {
                return interval;
            }

            @Override
            public String[] clusterOvercommit() {
                return clusters;
            }
        };
    }

    static CoreConfig config(double ratio, String... clusters) {
        return config(() -> ratio, Settings.DEFAULT_MONITOR_MILLIS, clusters);
    }

    @Test
    void aClusterWithARatioOfItsOwnUsesItAndEveryOtherClusterTheGlobalOne() {
        Settings settings = Settings.from(config(1.2, "prod=2.0", "test = 0.8"));
        assertEquals(Map.of("prod", 2.0, "test", 0.8), settings.clusterOvercommit());
        assertEquals(2.0, settings.overcommitRatio("prod"));
        assertEquals(new OvercommitRatio(2.0, "prod"), settings.overcommit("prod"));
        assertEquals(0.8, settings.overcommitRatio("test"));
        assertEquals(1.2, settings.overcommitRatio("default"));
        assertEquals(OvercommitRatio.global(1.2), settings.overcommit("default"));
        assertTrue(settings.overcommit("default").isGlobal());
        assertEquals("global overcommit ratio 1.20", settings.overcommit("default").describe());
        assertEquals("overcommit ratio 0.80 of cluster 'test'", settings.overcommit("test").describe());
        assertEquals(List.of(), warnings);
    }

    @Test
    void withoutAnyConfigurationEveryClusterUsesOneAndAHalf() {
        Settings settings = Settings.from(config(Settings.DEFAULT_OVERCOMMIT));
        assertEquals(Settings.DEFAULT, settings);
        assertEquals(1.5, settings.overcommitRatio("anything"));
        assertEquals(Map.of(), settings.clusterOvercommit());
    }

    @Test
    void aValueMayListSeveralEntriesSeparatedByCommasAsACfgFileGivesThem() {
        Settings settings = Settings.from(config(1.5, "prod=2.0, test=1.25,", "lab=3"));
        assertEquals(Map.of("lab", 3.0, "prod", 2.0, "test", 1.25), settings.clusterOvercommit());
        assertEquals(List.of("lab", "prod", "test"), List.copyOf(settings.clusterOvercommit().keySet()), "sorted by cluster");
    }

    @Test
    void aBadEntryIsLoggedWithTheFieldAndWhatIsAllowedAndIgnoredWhileTheGoodOnesApply() {
        Settings settings = Settings.from(config(1.5, "prod=2.0", "gold", "bad name=2", "lab=abc", "lab2=0", "lab3=1000",
                "prod=3.0", "=2"));
        assertEquals(Map.of("prod", 2.0), settings.clusterOvercommit());
        assertEquals(1.5, settings.overcommitRatio("lab"), "a cluster whose entry is ignored uses the global ratio");
        String form = "expected CLUSTER=RATIO (e.g. prod=2.0)";
        assertEquals(List.of(
                "org.vireo.core.clusterOvercommit: 'gold' is not allowed; " + form + "; the entry is ignored",
                "org.vireo.core.clusterOvercommit: 'bad name=2' is not allowed; " + form + " with a cluster name of 1 to 63 characters: "
                        + "letters, digits, '.', '_' or '-', starting with a letter or digit; the entry is ignored",
                "org.vireo.core.clusterOvercommit: 'lab=abc' is not allowed; " + form + " with a ratio from 0.1 to 100.0; the entry is "
                        + "ignored",
                "org.vireo.core.clusterOvercommit: 'lab2=0' is not allowed; " + form + " with a ratio from 0.1 to 100.0; the entry is "
                        + "ignored",
                "org.vireo.core.clusterOvercommit: 'lab3=1000' is not allowed; " + form + " with a ratio from 0.1 to 100.0; the entry "
                        + "is ignored",
                "org.vireo.core.clusterOvercommit: 'prod=3.0' is not allowed; expected one entry per cluster; cluster 'prod' has the "
                        + "ratio 2.0 already; the entry is ignored",
                "org.vireo.core.clusterOvercommit: '=2' is not allowed; " + form + " with a cluster name of 1 to 63 characters: "
                        + "letters, digits, '.', '_' or '-', starting with a letter or digit; the entry is ignored"), warnings);
    }

    @Test
    void aBadGlobalRatioIsLoggedAndReplacedByTheDefaultWithoutLosingTheClusters() {
        Settings settings = Settings.from(config(0, "prod=2"));
        assertEquals(1.5, settings.overcommitRatio());
        assertEquals(2.0, settings.overcommitRatio("prod"));
        assertEquals(List.of("org.vireo.core.overcommitRatio: 0.0 is not allowed; expected a number from 0.1 to 100.0; using 1.5"),
                warnings);
    }

    @Test
    void aValueSCRCannotConvertDoesNotKeepTheInventoryFromStarting() {
        CoreConfig unreadable = config(() -> {
            throw new IllegalArgumentException("Could not coerce 'abc' to double");
        }, 250);
        Settings settings = Settings.from(unreadable);
        assertEquals(1.5, settings.overcommitRatio());
        assertEquals(250, settings.monitorIntervalMillis());
        assertEquals(warnings, settings.ignored(), "mem:overcommit shows what core logs");
        assertEquals(List.of("org.vireo.core.overcommitRatio: cannot be read (Could not coerce 'abc' to double); using 1.5"),
                warnings);
    }

    @Test
    void theConstructorRefusesWhatFromWouldHaveIgnored() {
        InvalidSpecException ratio = assertThrows(InvalidSpecException.class, () -> new Settings(1.5, 500, Map.of("prod", 100.5)));
        assertEquals("org.vireo.core.clusterOvercommit.prod", ratio.field());
        assertEquals("org.vireo.core.clusterOvercommit.cluster",
                assertThrows(InvalidSpecException.class, () -> new Settings(1.5, 500, Map.of("a b", 2.0))).field());
        assertEquals("org.vireo.core.overcommitRatio", assertThrows(InvalidSpecException.class, () -> new Settings(0.05, 500)).field());
        assertEquals(List.of("a", "b"), List.copyOf(new Settings(1.5, 500, Map.of("b", 2.0, "a", 3.0)).clusterOvercommit().keySet()),
                "the clusters are kept sorted");
    }
}
