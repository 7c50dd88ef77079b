package org.vireo.core.inventory;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.vireo.api.model.Check;

/**
 * Changes a memory overcommit ratio in core's configuration {@value Inventory#PID}: the new value
 * is checked with {@link Settings}' rules before anything is written, the other properties are
 * kept as they are, and the configuration written is read back with the same rules, as SCR will
 * hand it to {@link Inventory}.
 */
final class OvercommitChange {
    private OvercommitChange() {
    }

    /**
     * @param properties core's configuration (keys compared without case, as ConfigAdmin does)
     * @param cluster the cluster whose own ratio changes, or {@code null} for the global ratio
     * @param ratio the new ratio as given, or {@code null} to remove it
     * @return a copy with the change: a cluster's entries are replaced by one {@code CLUSTER=RATIO}
     *         entry (the other entries kept as they are, valid or not, sorted), an attribute left
     *         without a value is removed
     * @throws org.vireo.api.model.InvalidSpecException naming the field, the value as given and what is allowed
     */
    static Map<String, Object> apply(Map<String, Object> properties, String cluster, String ratio) {
        Map<String, Object> next = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        next.putAll(properties);
        if (cluster == null) {
            if (ratio == null) {
                next.remove(Settings.OVERCOMMIT);
            } else {
                next.put(Settings.OVERCOMMIT, Settings.globalRatio(ratio));
            }
            return next;
        }
        Check.name("cluster", cluster);
        String entry = null;
        if (ratio != null) {
            entry = cluster + "=" + Settings.clusterEntry(cluster + "=" + ratio).getValue();
        }
        List<String> kept = new ArrayList<>();
        for (String e : Settings.entries(next.get(Settings.CLUSTERS))) {
            int eq = e.indexOf('=');
            if (eq < 0 || !e.substring(0, eq).trim().equals(cluster)) {
                kept.add(e);
            }
        }
        if (entry != null) {
            kept.add(entry);
        }
        kept.sort(null);
        if (kept.isEmpty()) {
            next.remove(Settings.CLUSTERS);
        } else {
            next.put(Settings.CLUSTERS, kept.toArray(String[]::new));
        }
        return next;
    }

    /**
     * @param properties core's configuration
     * @return it as {@link CoreConfig}, converted as SCR converts it (a value that cannot be
     *         converted throws when its attribute is read, which {@link Settings#read} reports)
     */
    static CoreConfig config(Map<String, Object> properties) {
        Map<String, Object> p = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        p.putAll(properties);
        return new CoreConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return CoreConfig.class;
            }

            @Override
            public double overcommitRatio() {
                Object value = scalar(p.get(Settings.OVERCOMMIT));
                return value == null ? Settings.DEFAULT_OVERCOMMIT
                        : value instanceof Number n ? n.doubleValue() : Double.parseDouble(value.toString().trim());
            }

            @Override
            public String[] clusterOvercommit() {
                return Settings.entries(p.get(Settings.CLUSTERS)).toArray(String[]::new);
            }

            @Override
            public long monitorIntervalMillis() {
                Object value = scalar(p.get("monitorIntervalMillis"));
                return value == null ? Settings.DEFAULT_MONITOR_MILLIS
                        : value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
            }
        };
    }

    private static Object scalar(Object value) {
        List<Object> values = Settings.values(value);
        return values.isEmpty() ? null : values.get(0);
    }
}
