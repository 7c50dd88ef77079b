package org.vireo.hypervisor.qemu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.vireo.api.model.Check;

/**
 * Which VM directories have (or may have) a QEMU process, per host: {@code <root>/<host>/<vm>}
 * holds the VM directory's path. An entry is written before QEMU is spawned and removed once it
 * has exited, so that after a {@code kill -9} of the runtime every QEMU it started is found again.
 * Owner-only, like the VM directories.
 */
final class StateIndex {
    private final Path root;

    /** @param root the index directory */
    StateIndex(Path root) {
        this.root = root;
    }

    /** @return where the index lives */
    Path root() {
        return root;
    }

    void put(String host, String vm, Path directory) throws IOException {
        Path dir = root.resolve(Check.name("host", host));
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(root, VmPaths.DIRECTORY);
        Files.setPosixFilePermissions(dir, VmPaths.DIRECTORY);
        Path entry = dir.resolve(Check.name("vm", vm));
        VmPaths.writeAtomically(entry, (directory.toString() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    void remove(String host, String vm) {
        try {
            Files.deleteIfExists(root.resolve(host).resolve(vm));
        } catch (IOException e) {
            // a stale entry is cleaned at the next attach
        }
    }

    /**
     * @param host a host
     * @return its entries: VM name to VM directory
     */
    Map<String, Path> entries(String host) {
        Map<String, Path> entries = new TreeMap<>();
        Path dir = root.resolve(host);
        if (!Files.isDirectory(dir)) {
            return entries;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                String text = Files.readString(f, StandardCharsets.UTF_8).trim();
                if (!text.isEmpty()) {
                    entries.put(name, Path.of(text));
                }
            }
        } catch (IOException e) {
            // an unreadable index lists what it could
        }
        return entries;
    }
}
