package org.vireo.shell;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.vireo.api.inventory.OvercommitSettings;

/**
 * How the memory overcommit ratios are shown by {@code mem:overcommit}: a page for people, a
 * JSON document for scripts.
 * <p>
 * JSON contract of {@code mem:overcommit --json}: an object with {@code globalRatio} (the ratio
 * of every host whose cluster has none of its own), {@code globalConfigured} ({@code false} while
 * it is the default), {@code clusters} (one object per cluster that has hosts or a ratio of its
 * own, sorted by name: {@code cluster}, {@code ratio} (the ratio its hosts are admitted with),
 * {@code source} ({@code cluster} when it is the cluster's own, {@code global} otherwise) and
 * {@code hosts} (names)) and {@code ignored} (one message per value of the configuration that is
 * not valid and which admission therefore ignores).
 */
final class OvercommitFormat {
    private OvercommitFormat() {
    }

    /**
     * @param ratios the ratios
     * @param hosts the hosts' names by cluster
     * @return the {@code mem:overcommit} page: the global ratio, then one row per cluster
     */
    static String table(OvercommitSettings ratios, Map<String, List<String>> hosts) {
        StringBuilder sb = new StringBuilder("global overcommit ratio ").append(ratio(ratios.globalRatio()))
                .append(ratios.globalConfigured() ? "" : " (default)");
        Map<String, List<String>> clusters = clusters(ratios, hosts);
        if (clusters.isEmpty()) {
            sb.append("\nno clusters: no host is defined and no cluster has a ratio of its own");
        } else {
            TextTable t = new TextTable("CLUSTER", "RATIO", "FROM", "HOSTS").alignRight("RATIO");
            clusters.forEach((cluster, names) -> t.row(cluster, ratio(ratios.ratioFor(cluster)), source(ratios, cluster),
                    names.isEmpty() ? null : String.join(", ", names)));
            sb.append('\n').append(t.render());
        }
        for (String problem : ratios.ignored()) {
            sb.append("\nignored: ").append(problem);
        }
        return sb.toString();
    }

    /**
     * @param ratios the ratios
     * @param hosts the hosts' names by cluster
     * @return the {@code mem:overcommit --json} document
     */
    static String json(OvercommitSettings ratios, Map<String, List<String>> hosts) {
        ObjectNode o = Json.object();
        o.put("globalRatio", ratios.globalRatio());
        o.put("globalConfigured", ratios.globalConfigured());
        ArrayNode clusters = o.putArray("clusters");
        clusters(ratios, hosts).forEach((cluster, names) -> {
            ObjectNode c = clusters.addObject();
            c.put("cluster", cluster);
            c.put("ratio", ratios.ratioFor(cluster));
            c.put("source", source(ratios, cluster));
            ArrayNode hostNames = c.putArray("hosts");
            names.forEach(hostNames::add);
        });
        ArrayNode ignored = o.putArray("ignored");
        ratios.ignored().forEach(ignored::add);
        return Json.pretty(o);
    }

    /**
     * @param before the ratios before the change
     * @param after the ratios after it
     * @param cluster the cluster whose ratio changed, or {@code null} for the global ratio
     * @param hosts the cluster's hosts (ignored for the global ratio)
     * @return one line for people
     */
    static String changed(OvercommitSettings before, OvercommitSettings after, String cluster, List<String> hosts) {
        String when = "; core applies it from the next admission";
        if (cluster == null) {
            return "global overcommit ratio " + ratio(after.globalRatio()) + (after.globalConfigured() ? "" : " (default)") + " (was "
                    + ratio(before.globalRatio()) + "), for every host whose cluster has no ratio of its own" + when;
        }
        return "cluster " + cluster + ": overcommit ratio " + ratio(after.ratioFor(cluster))
                + (after.hasOwnRatio(cluster) ? "" : " (the global ratio)") + " (was " + ratio(before.ratioFor(cluster))
                + (before.hasOwnRatio(cluster) ? "" : ", the global ratio") + "); hosts: "
                + (hosts.isEmpty() ? "none yet" : String.join(", ", hosts)) + when;
    }

    /**
     * @param ratios the overcommit ratios
     * @param cluster a host's cluster
     * @return the ratio its hosts are admitted with and where it comes from, e.g. {@code 2.00 (cluster prod)} or
     *         {@code 1.50 (global)}
     */
    static String applied(OvercommitSettings ratios, String cluster) {
        return ratio(ratios.ratioFor(cluster)) + (ratios.hasOwnRatio(cluster) ? " (cluster " + cluster + ")" : " (global)");
    }

    /**
     * @param ratios the overcommit ratios
     * @param cluster a host's cluster
     * @return {@code cluster} when the cluster has a ratio of its own, else {@code global}
     */
    static String source(OvercommitSettings ratios, String cluster) {
        return ratios.hasOwnRatio(cluster) ? "cluster" : "global";
    }

    static String ratio(double ratio) {
        return String.format(Locale.ROOT, "%.2f", ratio);
    }

    /** @return every cluster that has hosts or a ratio of its own, with its hosts, sorted */
    private static Map<String, List<String>> clusters(OvercommitSettings ratios, Map<String, List<String>> hosts) {
        Map<String, List<String>> clusters = new TreeMap<>();
        for (String cluster : ratios.clusterRatios().keySet()) {
            clusters.put(cluster, List.of());
        }
        hosts.forEach((cluster, names) -> clusters.put(cluster, List.copyOf(new TreeSet<>(names))));
        return clusters;
    }
}
