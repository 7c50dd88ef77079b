package org.vireo.core.inventory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.vireo.api.inventory.OvercommitSettings;
import org.vireo.api.model.Check;
import org.vireo.api.model.InvalidSpecException;

/**
 * The validated figures of {@link CoreConfig}, and the rules that read and change the memory
 * overcommit ratios in it (the single copy: admission, {@code mem:show} and
 * {@code mem:overcommit} all go through them).
 *
 * @param overcommitRatio memory overcommit ratio of every host whose cluster has none of its own, 0.1 to 100
 * @param monitorIntervalMillis poll interval, 10 to 60,000 ms
 * @param clusterOvercommit the memory overcommit ratios of clusters, by cluster name, each 0.1 to 100
 * @param ignored one message per overcommit value of the configuration that is not valid and is therefore ignored
 */
public record Settings(double overcommitRatio, long monitorIntervalMillis, Map<String, Double> clusterOvercommit,
        List<String> ignored) {
    /** The overcommit ratio when none is configured. */
    public static final double DEFAULT_OVERCOMMIT = 1.5;
    /** The poll interval when none is configured. */
    public static final long DEFAULT_MONITOR_MILLIS = 500;
    /** The smallest overcommit ratio. */
    public static final double MIN_OVERCOMMIT = 0.1;
    /** The largest overcommit ratio. */
    public static final double MAX_OVERCOMMIT = 100;
    /** The defaults. */
    public static final Settings DEFAULT = new Settings(DEFAULT_OVERCOMMIT, DEFAULT_MONITOR_MILLIS);

    /** The attribute of the global ratio. */
    static final String OVERCOMMIT = "overcommitRatio";
    /** The attribute of the clusters' ratios. */
    static final String CLUSTERS = "clusterOvercommit";
    /** The field of the global ratio, as errors name it. */
    static final String OVERCOMMIT_FIELD = Inventory.PID + ".overcommitRatio";
    /** The field of the clusters' ratios, as errors name it. */
    static final String CLUSTER_FIELD = Inventory.PID + ".clusterOvercommit";
    /** The form of an entry of {@link CoreConfig#clusterOvercommit()}. */
    static final String ENTRY_FORM = "CLUSTER=RATIO (e.g. prod=2.0)";

    private static final Logger LOG = Logger.getLogger(Settings.class.getName());

    /** Validates every figure; the clusters' ratios are copied, sorted by cluster, and the messages copied. */
    public Settings {
        Check.range(OVERCOMMIT_FIELD, overcommitRatio, MIN_OVERCOMMIT, MAX_OVERCOMMIT);
        Check.range(Inventory.PID + ".monitorIntervalMillis", monitorIntervalMillis, 10, 60_000);
        Check.present(CLUSTER_FIELD, clusterOvercommit);
        Map<String, Double> sorted = new TreeMap<>();
        clusterOvercommit.forEach((cluster, ratio) -> {
            Check.name(CLUSTER_FIELD + ".cluster", cluster);
            Check.present(CLUSTER_FIELD + "." + cluster, ratio);
            Check.range(CLUSTER_FIELD + "." + cluster, ratio, MIN_OVERCOMMIT, MAX_OVERCOMMIT);
            sorted.put(cluster, ratio);
        });
        clusterOvercommit = Collections.unmodifiableMap(sorted);
        ignored = List.copyOf(ignored);
    }

    /**
     * Settings with nothing ignored.
     *
     * @param overcommitRatio memory overcommit ratio, 0.1 to 100
     * @param monitorIntervalMillis poll interval, 10 to 60,000 ms
     * @param clusterOvercommit the clusters' ratios, each 0.1 to 100
     */
    public Settings(double overcommitRatio, long monitorIntervalMillis, Map<String, Double> clusterOvercommit) {
        this(overcommitRatio, monitorIntervalMillis, clusterOvercommit, List.of());
    }

    /**
     * Settings with one ratio for every cluster.
     *
     * @param overcommitRatio memory overcommit ratio, 0.1 to 100
     * @param monitorIntervalMillis poll interval, 10 to 60,000 ms
     */
    public Settings(double overcommitRatio, long monitorIntervalMillis) {
        this(overcommitRatio, monitorIntervalMillis, Map.of());
    }

    /**
     * @param globalConfigured whether the configuration gives {@code overcommitRatio}
     * @return the overcommit ratios, as {@link org.vireo.api.inventory.QosService#overcommit()} reports them
     */
    public OvercommitSettings overcommitSettings(boolean globalConfigured) {
        return new OvercommitSettings(overcommitRatio, globalConfigured, clusterOvercommit, ignored);
    }

    /**
     * SCR hands the inventory the default of {@code overcommitRatio} as a component property, so
     * only the configuration itself tells whether it gives the ratio.
     *
     * @param properties the configuration (keys compared without case, as ConfigAdmin does)
     * @return whether it gives {@code overcommitRatio}
     */
    static boolean configuresGlobal(Map<String, ?> properties) {
        return properties.keySet().stream().anyMatch(OVERCOMMIT::equalsIgnoreCase);
    }

    /**
     * @param cluster a host's cluster
     * @return the ratio that applies to its hosts: the cluster's own, else the global one
     */
    public double overcommitRatio(String cluster) {
        return overcommit(cluster).ratio();
    }

    /**
     * @param cluster a host's cluster
     * @return the ratio that applies to its hosts, and where it comes from
     */
    public OvercommitRatio overcommit(String cluster) {
        Double own = cluster == null ? null : clusterOvercommit.get(cluster);
        return own == null ? OvercommitRatio.global(overcommitRatio) : new OvercommitRatio(own, cluster);
    }

    /**
     * A bad value in the configuration must not keep the inventory from starting: it is
     * logged and replaced by its default; a bad entry of {@code clusterOvercommit} is logged and
     * ignored, so that its cluster uses the global ratio.
     *
     * @param config the configuration
     * @return the settings
     */
    public static Settings from(CoreConfig config) {
        Settings read = read(config);
        read.ignored().forEach(LOG::warning);
        return read;
    }

    /**
     * Reads the configuration; only a bad poll interval, which is no overcommit value, is logged.
     *
     * @param config the configuration
     * @return the settings; the overcommit values that are not valid are in {@link #ignored()}
     */
    static Settings read(CoreConfig config) {
        List<String> ignored = new ArrayList<>();
        double ratio = figure(OVERCOMMIT_FIELD, DEFAULT_OVERCOMMIT, () -> new Settings(config.overcommitRatio(),
                DEFAULT_MONITOR_MILLIS).overcommitRatio(), ignored);
        List<String> interval = new ArrayList<>();
        long millis = figure(Inventory.PID + ".monitorIntervalMillis", DEFAULT_MONITOR_MILLIS,
                () -> new Settings(DEFAULT_OVERCOMMIT, config.monitorIntervalMillis()).monitorIntervalMillis(), interval);
        interval.forEach(LOG::warning);
        String[] entries = figure(CLUSTER_FIELD, new String[0], config::clusterOvercommit, ignored);
        List<String> problems = new ArrayList<>();
        Map<String, Double> clusters = clusterRatios(entries, problems);
        problems.forEach(problem -> ignored.add(problem + "; the entry is ignored"));
        return new Settings(ratio, millis, clusters, ignored);
    }

    /**
     * @param text a global overcommit ratio as given
     * @return it
     * @throws InvalidSpecException naming {@code overcommitRatio}, the value as given and the allowed range
     */
    static double globalRatio(String text) {
        double value = parse(text);
        if (!inRange(value)) {
            throw new InvalidSpecException(OVERCOMMIT_FIELD, text, "a number from " + MIN_OVERCOMMIT + " to " + MAX_OVERCOMMIT);
        }
        return value;
    }

    /**
     * Reads the entries of {@link CoreConfig#clusterOvercommit()}. A value may hold several
     * entries separated by commas, as a {@code .cfg} file gives a list.
     *
     * @param values the configured values
     * @param problems receives one message per entry that is not valid (which is left out)
     * @return the valid entries' ratios, by cluster; of two entries for one cluster the first
     */
    static Map<String, Double> clusterRatios(String[] values, List<String> problems) {
        Map<String, Double> ratios = new TreeMap<>();
        for (String entry : entries(values)) {
            try {
                Map.Entry<String, Double> parsed = clusterEntry(entry);
                Double first = ratios.putIfAbsent(parsed.getKey(), parsed.getValue());
                if (first != null) {
                    throw new InvalidSpecException(CLUSTER_FIELD, entry, "one entry per cluster; cluster '"
                            + parsed.getKey() + "' has the ratio " + first + " already");
                }
            } catch (InvalidSpecException e) {
                problems.add(e.getMessage());
            }
        }
        return ratios;
    }

    /**
     * @param value a value of {@link CoreConfig#clusterOvercommit()}: an array, a collection, or one
     *        text, each element possibly holding several entries separated by commas
     * @return its entries, trimmed, blank ones left out
     */
    static List<String> entries(Object value) {
        List<String> entries = new ArrayList<>();
        for (Object v : values(value)) {
            for (String entry : v == null ? new String[0] : v.toString().split(",")) {
                if (!entry.isBlank()) {
                    entries.add(entry.trim());
                }
            }
        }
        return entries;
    }

    /**
     * @param value a configuration value: an array, a collection, one value or {@code null}
     * @return its elements
     */
    static List<Object> values(Object value) {
        List<Object> values = new ArrayList<>();
        if (value instanceof Object[] array) {
            values.addAll(Arrays.asList(array));
        } else if (value instanceof Collection<?> collection) {
            values.addAll(collection);
        } else if (value != null) {
            values.add(value);
        }
        return values;
    }

    private static boolean inRange(double ratio) {
        return !Double.isNaN(ratio) && ratio >= MIN_OVERCOMMIT && ratio <= MAX_OVERCOMMIT;
    }

    /**
     * @param entry an entry of {@link CoreConfig#clusterOvercommit()}
     * @return its cluster and ratio
     * @throws InvalidSpecException naming the entry, the field and what is allowed
     */
    static Map.Entry<String, Double> clusterEntry(String entry) {
        int eq = entry.indexOf('=');
        if (eq < 0) {
            throw new InvalidSpecException(CLUSTER_FIELD, entry, ENTRY_FORM);
        }
        String cluster = entry.substring(0, eq).trim();
        String ratio = entry.substring(eq + 1);
        try {
            Check.name(CLUSTER_FIELD, cluster);
        } catch (InvalidSpecException e) {
            throw new InvalidSpecException(CLUSTER_FIELD, entry, ENTRY_FORM + " with a cluster name of " + Check.NAME_RULE);
        }
        double value = parse(ratio);
        if (!inRange(value)) {
            throw new InvalidSpecException(CLUSTER_FIELD, entry, ENTRY_FORM + " with a ratio from " + MIN_OVERCOMMIT + " to "
                    + MAX_OVERCOMMIT);
        }
        return Map.entry(cluster, value);
    }

    /** Reads one figure; what cannot be read or is not valid is told to {@code problems} and replaced by {@code fallback}. */
    private static <T> T figure(String field, T fallback, Supplier<T> read, List<String> problems) {
        try {
            T value = read.get();
            return value == null ? fallback : value;
        } catch (InvalidSpecException e) {
            problems.add(e.getMessage() + "; using " + show(fallback));
        } catch (RuntimeException e) {
            // SCR throws when a configured value cannot be converted to the attribute's type, e.g. "abc" for a number
            problems.add(field + ": cannot be read (" + e.getMessage() + "); using " + show(fallback));
        }
        return fallback;
    }

    private static double parse(String text) {
        try {
            return text == null ? Double.NaN : Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String show(Object value) {
        return value instanceof String[] none && none.length == 0 ? "none" : String.valueOf(value);
    }
}
