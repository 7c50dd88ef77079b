package org.vireo.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.vireo.api.inventory.CpuQosReport;
import org.vireo.api.inventory.MemoryReport;
import org.vireo.api.inventory.NotFoundException;
import org.vireo.api.inventory.OvercommitSettings;
import org.vireo.api.inventory.QosService;
import org.vireo.api.model.VireoException;

/**
 * Reports and overcommit ratios a test put in place; records the calls made to it. A change of
 * the ratios is taken as given (core checks them), unless {@link #refusal} is set.
 */
final class FakeQos implements QosService {
    final Map<String, CpuQosReport> cpu = new TreeMap<>();
    final Map<String, MemoryReport> memory = new TreeMap<>();
    final List<String> calls = new ArrayList<>();
    OvercommitSettings overcommit = new OvercommitSettings(1.5, false, Map.of(), List.of());
    /** What {@link #setOvercommit} throws, when set. */
    VireoException refusal;

    @Override
    public CpuQosReport cpu(String host) {
        calls.add("cpu " + host);
        CpuQosReport report = cpu.get(host);
        if (report == null) {
            throw new NotFoundException("no host named '" + host + "'");
        }
        return report;
    }

    @Override
    public MemoryReport memory(String host) {
        calls.add("memory " + host);
        MemoryReport report = memory.get(host);
        if (report == null) {
            throw new NotFoundException("no host named '" + host + "'");
        }
        return report;
    }

    @Override
    public OvercommitSettings overcommit() {
        return overcommit;
    }

    @Override
    public OvercommitSettings setOvercommit(String cluster, String ratio) {
        calls.add("setOvercommit " + cluster + " " + ratio);
        if (refusal != null) {
            throw refusal;
        }
        double global = overcommit.globalRatio();
        boolean configured = overcommit.globalConfigured();
        Map<String, Double> clusters = new TreeMap<>(overcommit.clusterRatios());
        if (cluster == null) {
            global = ratio == null ? 1.5 : Double.parseDouble(ratio);
            configured = ratio != null;
        } else if (ratio == null) {
            clusters.remove(cluster);
        } else {
            clusters.put(cluster, Double.parseDouble(ratio));
        }
        overcommit = new OvercommitSettings(global, configured, clusters, overcommit.ignored());
        return overcommit;
    }

    /** @return the calls that changed the overcommit ratios */
    List<String> changes() {
        return calls.stream().filter(c -> c.startsWith("setOvercommit ")).toList();
    }
}
