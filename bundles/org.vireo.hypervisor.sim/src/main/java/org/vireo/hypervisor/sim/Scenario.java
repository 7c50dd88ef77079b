package org.vireo.hypervisor.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.vireo.api.model.CpuModel;
import org.vireo.api.model.CpuQos;
import org.vireo.api.model.DatastoreSpec;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;
import org.vireo.api.model.InvalidSpecException;
import org.vireo.api.model.MemoryQos;
import org.vireo.api.model.Units;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.WorkloadSpec;

/**
 * A scenario file: hosts and VMs to create, and whether to start the VMs.
 * <pre>
 * {
 *   "hosts": [ {"name": "h", "count": 2, "cores": 8, "mhz": 2400, "memory": "32G", "type": "hybrid",
 *               "cluster": "default", "cpuModel": "qemu64", "hypervisor": "sim"} ],
 *   "vms":   [ {"name": "web", "count": 4, "host": ["h-1", "h-2"], "vcpus": 2, "memory": "2G",
 *               "workload": "web", "image": "debian-12", "cpuReservation": 500, "cpuLimit": 4000,
 *               "cpuShares": 1000, "memoryReservation": "512M", "memoryShares": 1000} ],
 *   "start": true
 * }
 * </pre>
 * With {@code count} N &gt; 1 the names are {@code NAME-1} to {@code NAME-N}. {@code host} is one
 * host, a list used round-robin, or absent to let core place the VM. {@code mhz} and
 * {@code memory} accept the shell's forms ({@code 2.4GHz}, {@code 32G}). {@code workload} is the
 * shell's form ({@code web}, {@code custom:cpu=50,ws=512M}). {@code start} defaults to true.
 *
 * @param hosts the hosts, in order
 * @param vms the VMs with their hosts, in order
 * @param start whether to start the VMs
 */
record Scenario(List<HostSpec> hosts, List<Placed> vms, boolean start) {
    private static final Set<String> TOP = Set.of("hosts", "vms", "start");
    private static final Set<String> HOST_KEYS = Set.of("name", "count", "cores", "mhz", "memory", "type", "cluster", "cpuModel",
            "hypervisor", "nicMbps");
    private static final Set<String> VM_KEYS = Set.of("name", "count", "host", "vcpus", "memory", "workload", "image",
            "cpuReservation", "cpuLimit", "cpuShares", "memoryReservation", "memoryShares");
    private static final int MAX_COUNT = 100_000;

    /**
     * A VM and where to put it.
     *
     * @param spec the VM
     * @param host its host, or {@code null} to let core choose
     */
    record Placed(VmSpec spec, String host) {
    }

    static Scenario read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new InvalidSpecException("scenario", file.toString(), "a readable JSON file (" + e.getMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidSpecException("scenario", file.toString(), "a JSON object with \"hosts\", \"vms\" and \"start\"");
        }
        keys("scenario", root, TOP);
        List<HostSpec> hosts = new ArrayList<>();
        for (int i = 0; i < root.path("hosts").size(); i++) {
            JsonNode h = root.path("hosts").get(i);
            String at = "scenario.hosts[" + i + "]";
            keys(at, h, HOST_KEYS);
            String name = text(at + ".name", h, null);
            int count = count(at, h);
            for (int k = 1; k <= count; k++) {
                hosts.add(new HostSpec(count == 1 ? name : name + "-" + k, text(at + ".cluster", h, HostSpec.DEFAULT_CLUSTER),
                        (int) integer(at + ".cores", h, null),
                        Units.parseMhz(at + ".mhz", text(at + ".mhz", h, null)),
                        Units.parseMiB(at + ".memory", text(at + ".memory", h, null)),
                        HypervisorKind.parse(at + ".type", text(at + ".type", h, null)),
                        text(at + ".hypervisor", h, HostSpec.DEFAULT_HYPERVISOR),
                        CpuModel.known(text(at + ".cpuModel", h, CpuModel.DEFAULT.name())),
                        List.of(DatastoreSpec.LOCAL), integer(at + ".nicMbps", h, HostSpec.DEFAULT_NIC_MBPS)));
            }
        }
        List<Placed> vms = new ArrayList<>();
        for (int i = 0; i < root.path("vms").size(); i++) {
            JsonNode v = root.path("vms").get(i);
            String at = "scenario.vms[" + i + "]";
            keys(at, v, VM_KEYS);
            String name = text(at + ".name", v, null);
            int count = count(at, v);
            List<String> placement = new ArrayList<>();
            JsonNode host = v.get("host");
            if (host != null && host.isArray()) {
                host.forEach(n -> placement.add(n.asText()));
            } else if (host != null && !host.isNull()) {
                placement.add(host.asText());
            }
            long limit = integer(at + ".cpuLimit", v, -1L);
            CpuQos cpu = new CpuQos(limit < 0 ? null : limit, integer(at + ".cpuReservation", v, 0L),
                    (int) integer(at + ".cpuShares", v, (long) CpuQos.DEFAULT_SHARES));
            MemoryQos mem = new MemoryQos(Units.parseMiB(at + ".memoryReservation", text(at + ".memoryReservation", v, "0")),
                    (int) integer(at + ".memoryShares", v, (long) MemoryQos.DEFAULT_SHARES));
            WorkloadSpec workload = WorkloadSpec.parse(text(at + ".workload", v, "idle"));
            for (int k = 1; k <= count; k++) {
                VmSpec spec = new VmSpec(count == 1 ? name : name + "-" + k, (int) integer(at + ".vcpus", v, 1L),
                        Units.parseMiB(at + ".memory", text(at + ".memory", v, null)), cpu, mem, List.of(), List.of(), workload,
                        text(at + ".image", v, VmSpec.DEFAULT_IMAGE));
                vms.add(new Placed(spec, placement.isEmpty() ? null : placement.get((k - 1) % placement.size())));
            }
        }
        JsonNode start = root.get("start");
        if (start != null && !start.isBoolean()) {
            throw new InvalidSpecException("scenario.start", start.toString(), "true or false");
        }
        return new Scenario(hosts, vms, start == null || start.asBoolean());
    }

    private static void keys(String at, JsonNode node, Set<String> allowed) {
        if (node == null || !node.isObject()) {
            throw new InvalidSpecException(at, String.valueOf(node), "a JSON object with keys among " + new java.util.TreeSet<>(allowed));
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw new InvalidSpecException(at + "." + k, node.get(k).toString(), "a key among " + new java.util.TreeSet<>(allowed));
            }
        }
    }

    private static int count(String at, JsonNode node) {
        return (int) checkRange(at + ".count", integer(at + ".count", node, 1L), 1, MAX_COUNT);
    }

    private static long checkRange(String field, long v, long min, long max) {
        if (v < min || v > max) {
            throw new InvalidSpecException(field, v, "an integer from " + min + " to " + max);
        }
        return v;
    }

    private static String text(String field, JsonNode node, String fallback) {
        String key = field.substring(field.lastIndexOf('.') + 1);
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            if (fallback == null) {
                throw new InvalidSpecException(field, null, "a value (the key is required)");
            }
            return fallback;
        }
        if (!v.isValueNode()) {
            throw new InvalidSpecException(field, v.toString(), "a string or a number");
        }
        return v.asText();
    }

    private static long integer(String field, JsonNode node, Long fallback) {
        String key = field.substring(field.lastIndexOf('.') + 1);
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            if (fallback == null) {
                throw new InvalidSpecException(field, null, "an integer (the key is required)");
            }
            return fallback;
        }
        if (!v.canConvertToLong() || !v.isIntegralNumber()) {
            throw new InvalidSpecException(field, v.toString(), "an integer");
        }
        return v.asLong();
    }
}
