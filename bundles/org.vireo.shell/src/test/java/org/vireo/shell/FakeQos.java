package org.vireo.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.vireo.api.inventory.CpuQosReport;
import org.vireo.api.inventory.MemoryReport;
import org.vireo.api.inventory.NotFoundException;
import org.vireo.api.inventory.QosService;

/** Reports a test put in place, by host; records the calls made to it. */
final class FakeQos implements QosService {
    final Map<String, CpuQosReport> cpu = new TreeMap<>();
    final Map<String, MemoryReport> memory = new TreeMap<>();
    final List<String> calls = new ArrayList<>();

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
}
