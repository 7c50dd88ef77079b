package org.vireo.core.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.osgi.framework.Constants;
import org.vireo.api.hypervisor.Hypervisor;
import org.vireo.api.hypervisor.HypervisorType;
import org.vireo.api.model.CpuModel;
import org.vireo.api.model.DatastoreSpec;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.VmState;
import org.vireo.core.event.EventLog;
import org.vireo.core.store.DataFolder;

/** An inventory on a temporary data folder, with a fake hypervisor {@code sim} and type {@code hybrid}. */
final class Fixture {
    static final DatastoreSpec SAN = new DatastoreSpec("san", 1024, 500, true);

    final Path data;
    final EventLog events = new EventLog();
    final FakeHypervisor sim = new FakeHypervisor();
    final FakeType hybrid = new FakeType(HypervisorKind.HYBRID, 1000, 512, 10);
    Settings settings = Settings.DEFAULT;
    volatile boolean frameworkStopping;
    Inventory inventory;
    HostManager hosts;
    VmManager vms;
    private long nextId = 1;

    Fixture(Path dir) {
        this.data = dir.resolve("data");
        open();
    }

    void open() {
        inventory = new Inventory(new DataFolder(data), settings, events, () -> frameworkStopping);
        hosts = new HostManager(inventory);
        vms = new VmManager(inventory);
    }

    /** Stops this inventory and loads a new one from the same folder; the hypervisor keeps running. */
    void restart() {
        inventory.close();
        open();
    }

    Fixture installed() {
        bindType(hybrid, "hybrid");
        bindHypervisor(sim, "sim");
        return this;
    }

    /**
     * Host h1 with vm1 and vm2 started; vm1 reported RUNNING by the event "booted", applied.
     *
     * @return this
     */
    Fixture withTwoVmsStarted() {
        hosts.addHost(host("h1", 8192));
        vms.create(VmSpec.of("vm1", 1, 512), "h1");
        vms.create(VmSpec.of("vm2", 1, 512), "h1");
        vms.start("vm1");
        vms.start("vm2");
        sim.emit("h1", "vm1", VmState.RUNNING, "booted");
        inventory.pollAll();
        return this;
    }

    Map<String, Object> bindHypervisor(Hypervisor hypervisor, String name) {
        Map<String, Object> properties = properties(name);
        inventory.bindHypervisor(hypervisor, properties);
        return properties;
    }

    Map<String, Object> bindType(HypervisorType type, String name) {
        Map<String, Object> properties = properties(name);
        inventory.bindType(type, properties);
        return properties;
    }

    private Map<String, Object> properties(String name) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(Inventory.NAME, name);
        properties.put(Constants.SERVICE_ID, nextId++);
        properties.put(Constants.SERVICE_RANKING, 0);
        return properties;
    }

    /** A hybrid host driven by sim, 4 x 2500 MHz, with the datastores local and san. */
    static HostSpec host(String name, long memoryMiB) {
        return new HostSpec(name, "c1", 4, 2500, memoryMiB, HypervisorKind.HYBRID, "sim", CpuModel.DEFAULT,
                List.of(DatastoreSpec.LOCAL, SAN), 10_000);
    }

    Path vmDir(String name) {
        return data.resolve("vms").resolve(name);
    }

    /** @return every entry of the data folder: path to kind, size and content hash (links: their target) */
    Map<String, String> tree() {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(data)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                String key = data.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    tree.put(key, "link " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    tree.put(key, "dir");
                } else {
                    tree.put(key, Files.size(p) + " " + sha256(p));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tree;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0;) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
