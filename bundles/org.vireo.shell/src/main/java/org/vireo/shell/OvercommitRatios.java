package org.vireo.shell;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.vireo.api.model.Check;
import org.vireo.api.model.InvalidSpecException;

/**
 * The memory overcommit ratios in core's configuration {@value #PID}: the global
 * {@value #GLOBAL} and the clusters' {@value #CLUSTERS} entries ({@code CLUSTER=RATIO}). They
 * are read with core's rules, so that what {@code mem:overcommit} and {@code mem:show} show is
 * what admission uses: a global value that is not valid leaves the default, an entry that is
 * not valid is ignored (both are listed in {@link #ignored()}, with the message core logs).
 *
 * @param global the global ratio
 * @param globalConfigured whether it is configured (else it is the default)
 * @param clusters the clusters' own ratios, by cluster
 * @param ignored what the configuration holds that is not valid, one message each
 */
record OvercommitRatios(double global, boolean globalConfigured, Map<String, Double> clusters, List<String> ignored) {
    /** Core's configuration PID. */
    static final String PID = "org.vireo.core";
    /** The attribute of the global ratio. */
    static final String GLOBAL = "overcommitRatio";
    /** The attribute of the clusters' ratios. */
    static final String CLUSTERS = "clusterOvercommit";
    /** The ratio when none is configured. */
    static final double DEFAULT = 1.5;
    /** The smallest ratio. */
    static final double MIN = 0.1;
    /** The largest ratio. */
    static final double MAX = 100;

    private static final String GLOBAL_FIELD = PID + "." + GLOBAL;
    private static final String CLUSTERS_FIELD = PID + "." + CLUSTERS;
    private static final String ENTRY_FORM = "CLUSTER=RATIO (e.g. prod=2.0)";

    /** Copies the map (sorted by cluster) and the list. */
    OvercommitRatios {
        clusters = Collections.unmodifiableMap(new TreeMap<>(clusters));
        ignored = List.copyOf(ignored);
    }

    /**
     * The ratio that applies to a cluster's hosts.
     *
     * @param ratio the ratio
     * @param cluster the cluster whose own ratio it is, or {@code null} for the global ratio
     */
    record Applied(double ratio, String cluster) {
        /** @return whether it is the global ratio */
        boolean isGlobal() {
            return cluster == null;
        }
    }

    /**
     * @param cluster a host's cluster
     * @return the ratio its hosts are admitted with: the cluster's own, else the global one
     */
    Applied applied(String cluster) {
        Double own = clusters.get(cluster);
        return own == null ? new Applied(global, null) : new Applied(own, cluster);
    }

    /**
     * @param properties core's configuration (keys compared without case, as ConfigAdmin does)
     * @return the ratios it gives
     */
    static OvercommitRatios of(Map<String, Object> properties) {
        Map<String, Object> p = caseless(properties);
        List<String> ignored = new ArrayList<>();
        double global = DEFAULT;
        Object configured = p.get(GLOBAL);
        if (configured != null) {
            try {
                global = Check.range(GLOBAL_FIELD, number(configured), MIN, MAX);
            } catch (InvalidSpecException e) {
                ignored.add(e.getMessage() + "; using " + DEFAULT);
            }
        }
        Map<String, Double> clusters = new TreeMap<>();
        for (String entry : entries(p.get(CLUSTERS))) {
            try {
                Map.Entry<String, Double> parsed = entry(entry);
                Double first = clusters.putIfAbsent(parsed.getKey(), parsed.getValue());
                if (first != null) {
                    throw new InvalidSpecException(CLUSTERS_FIELD, entry, "one entry per cluster; cluster '" + parsed.getKey()
                            + "' has the ratio " + first + " already");
                }
            } catch (InvalidSpecException e) {
                ignored.add(e.getMessage() + "; the entry is ignored");
            }
        }
        return new OvercommitRatios(global, configured != null, clusters, ignored);
    }

    /**
     * @param cluster the cluster whose ratio is given, or {@code null} for the global ratio
     * @param text the ratio as typed
     * @return the ratio
     * @throws InvalidSpecException naming the field of the configuration and the allowed range
     */
    static double ratio(String cluster, String text) {
        double value = parse(text);
        if (Double.isNaN(value) || value < MIN || value > MAX) {
            if (cluster == null) {
                throw new InvalidSpecException(GLOBAL_FIELD, text, "a number from " + MIN + " to " + MAX);
            }
            throw new InvalidSpecException(CLUSTERS_FIELD, cluster + "=" + text, ENTRY_FORM + " with a ratio from " + MIN + " to " + MAX);
        }
        return value;
    }

    /**
     * @param properties core's configuration
     * @param ratio the new global ratio, or {@code null} to remove it (the default then applies)
     * @return a copy with the change
     */
    static Map<String, Object> withGlobal(Map<String, Object> properties, Double ratio) {
        Map<String, Object> p = caseless(properties);
        if (ratio == null) {
            p.remove(GLOBAL);
        } else {
            p.put(GLOBAL, ratio);
        }
        return p;
    }

    /**
     * @param properties core's configuration
     * @param cluster a cluster's name
     * @param ratio its new ratio, or {@code null} to remove its entries (the global ratio then applies)
     * @return a copy with the change; the other entries are kept as they are, valid or not
     */
    static Map<String, Object> withCluster(Map<String, Object> properties, String cluster, Double ratio) {
        Map<String, Object> p = caseless(properties);
        List<String> kept = new ArrayList<>();
        for (String entry : entries(p.get(CLUSTERS))) {
            int eq = entry.indexOf('=');
            if (eq < 0 || !entry.substring(0, eq).trim().equals(cluster)) {
                kept.add(entry);
            }
        }
        if (ratio != null) {
            kept.add(cluster + "=" + ratio);
        }
        kept.sort(null);
        if (kept.isEmpty()) {
            p.remove(CLUSTERS);
        } else {
            p.put(CLUSTERS, kept.toArray(String[]::new));
        }
        return p;
    }

    private static Map.Entry<String, Double> entry(String entry) {
        int eq = entry.indexOf('=');
        if (eq < 0) {
            throw new InvalidSpecException(CLUSTERS_FIELD, entry, ENTRY_FORM);
        }
        String cluster = entry.substring(0, eq).trim();
        try {
            Check.name(CLUSTERS_FIELD, cluster);
        } catch (InvalidSpecException e) {
            throw new InvalidSpecException(CLUSTERS_FIELD, entry, ENTRY_FORM + " with a cluster name of " + Check.NAME_RULE);
        }
        double value = parse(entry.substring(eq + 1));
        if (Double.isNaN(value) || value < MIN || value > MAX) {
            throw new InvalidSpecException(CLUSTERS_FIELD, entry, ENTRY_FORM + " with a ratio from " + MIN + " to " + MAX);
        }
        return Map.entry(cluster, value);
    }

    /** @return the entries of a value of {@value #CLUSTERS}: a list, or text with entries separated by commas */
    private static List<String> entries(Object value) {
        List<Object> values = new ArrayList<>();
        if (value instanceof Object[] array) {
            values.addAll(Arrays.asList(array));
        } else if (value instanceof Collection<?> collection) {
            values.addAll(collection);
        } else if (value != null) {
            values.add(value);
        }
        List<String> entries = new ArrayList<>();
        for (Object v : values) {
            for (String entry : v == null ? new String[0] : v.toString().split(",")) {
                if (!entry.isBlank()) {
                    entries.add(entry.trim());
                }
            }
        }
        return entries;
    }

    private static double number(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        double parsed = parse(value.toString());
        if (Double.isNaN(parsed)) {
            throw new InvalidSpecException(GLOBAL_FIELD, value.toString(), "a number from " + MIN + " to " + MAX);
        }
        return parsed;
    }

    private static double parse(String text) {
        try {
            return text == null ? Double.NaN : Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static Map<String, Object> caseless(Map<String, Object> properties) {
        Map<String, Object> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(properties);
        return copy;
    }
}
