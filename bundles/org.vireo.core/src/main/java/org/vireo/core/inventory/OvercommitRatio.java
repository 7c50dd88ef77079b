package org.vireo.core.inventory;

import java.util.Locale;

/**
 * The memory overcommit ratio that applies to a host, and where it comes from: its cluster's
 * entry in {@code clusterOvercommit}, or the global {@code overcommitRatio}.
 *
 * @param ratio the ratio
 * @param cluster the cluster whose own ratio it is, or {@code null} for the global ratio
 */
public record OvercommitRatio(double ratio, String cluster) {
    /**
     * @param ratio the global ratio
     * @return it, as the ratio of every host whose cluster has none of its own
     */
    public static OvercommitRatio global(double ratio) {
        return new OvercommitRatio(ratio, null);
    }

    /** @return whether it is the global ratio */
    public boolean isGlobal() {
        return cluster == null;
    }

    /** @return for messages, e.g. {@code global overcommit ratio 1.50} or {@code overcommit ratio 2.00 of cluster 'prod'} */
    public String describe() {
        String value = String.format(Locale.ROOT, "%.2f", ratio);
        return isGlobal() ? "global overcommit ratio " + value : "overcommit ratio " + value + " of cluster '" + cluster + "'";
    }
}
