package org.vireo.api.inventory;

import java.io.Serializable;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The memory overcommit ratios admission uses: the configured memory of a host's active VMs may
 * reach its ratio times the host's memory less what its hypervisor keeps. Every host whose
 * cluster has no ratio of its own uses the global one.
 *
 * @param globalRatio the ratio of every host whose cluster has none of its own
 * @param globalConfigured whether the configuration gives the global ratio ({@code false} while it
 *        is the default)
 * @param clusterRatios the clusters' own ratios, by cluster name, sorted by name
 * @param ignored one message per value of the configuration that is not valid and that admission
 *        therefore ignores (naming the field, the value and what is allowed)
 * @since 1.1
 */
public record OvercommitSettings(double globalRatio, boolean globalConfigured, Map<String, Double> clusterRatios,
        List<String> ignored) implements Serializable {
    /** Copies the map (sorted by cluster) and the list. */
    public OvercommitSettings {
        clusterRatios = Collections.unmodifiableMap(new TreeMap<>(clusterRatios));
        ignored = List.copyOf(ignored);
    }

    /**
     * @param cluster a host's cluster
     * @return the ratio its hosts are admitted with: the cluster's own, else the global one
     */
    public double ratioFor(String cluster) {
        Double own = cluster == null ? null : clusterRatios.get(cluster);
        return own == null ? globalRatio : own;
    }

    /**
     * @param cluster a host's cluster
     * @return whether it has a ratio of its own (else its hosts use the global one)
     */
    public boolean hasOwnRatio(String cluster) {
        return cluster != null && clusterRatios.containsKey(cluster);
    }
}
