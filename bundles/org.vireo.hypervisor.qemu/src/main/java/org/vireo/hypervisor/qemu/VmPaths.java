package org.vireo.hypervisor.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The files the hypervisor keeps in a VM's directory, next to the disks core puts there. The
 * directory is the owner's only (700), and so is every file in it that QEMU writes (600).
 *
 * @param directory the VM's directory (absolute)
 */
public record VmPaths(Path directory) {
    /** Owner only, for directories. */
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    /** Owner only, for files and sockets. */
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    /** Normalises the path. */
    public VmPaths {
        directory = directory.toAbsolutePath().normalize();
    }

    /**
     * A Unix socket path holds at most 107 bytes; a VM directory deep in a data folder can make
     * {@code qmp.sock} longer than that, and its socket then lives in {@link #SHORT_SOCKETS}, named
     * after a hash of the directory.
     */
    static final int MAX_SOCKET_PATH = 100;
    /** Where sockets of VMs with long directory paths live (owner only). */
    static final Path SHORT_SOCKETS = Path.of(System.getProperty("java.io.tmpdir"), "vireo-qmp-" + System.getProperty("user.name"));

    /** @return the QMP socket: {@code qmp.sock} in the directory, unless that path is too long */
    public Path qmpSocket() {
        Path socket = directory.resolve("qmp.sock");
        if (socket.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH) {
            return socket;
        }
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(directory.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return SHORT_SOCKETS.resolve(java.util.HexFormat.of().formatHex(hash, 0, 12) + ".sock");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new org.vireo.api.hypervisor.HypervisorException("SHA-256 is missing from this JDK", e);
        }
    }

    /** @return the guest's serial console, as QEMU writes it */
    public Path consoleLog() {
        return directory.resolve("console.log");
    }

    /** @return the console of the previous run, kept for a look after a crash */
    public Path previousConsoleLog() {
        return directory.resolve("console.log.1");
    }

    /** @return QEMU's own standard output and error */
    public Path qemuLog() {
        return directory.resolve("qemu.log");
    }

    /** @return the pid file QEMU writes ({@code -pidfile}) */
    public Path pidFile() {
        return directory.resolve("qemu.pid");
    }

    /** @return the record of the running QEMU process ({@code qemu.json}) */
    public Path stateFile() {
        return directory.resolve("qemu.json");
    }

    /**
     * Creates the directory if needed and restricts it to its owner.
     *
     * @throws IOException if that fails
     */
    void prepareDirectory() throws IOException {
        Files.createDirectories(directory);
        Files.setPosixFilePermissions(directory, DIRECTORY);
        if (!qmpSocket().startsWith(directory)) {
            Files.createDirectories(SHORT_SOCKETS);
            Files.setPosixFilePermissions(SHORT_SOCKETS, DIRECTORY);
        }
    }

    /**
     * Creates (or empties) a file that only its owner may read, before QEMU opens it, so that
     * QEMU's umask never decides who may read a guest's console.
     *
     * @param file a file in the directory
     * @throws IOException if that fails
     */
    static void createPrivate(Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
    }

    /**
     * Replaces a file atomically by one that only its owner may read: the content goes to
     * {@code .NAME.tmp} beside it ({@link #createPrivate}), which is then moved over the file. A
     * temporary file left by a failure is removed.
     *
     * @param file the file
     * @param content what it is to hold
     * @throws IOException if that fails
     */
    static void writeAtomically(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            createPrivate(tmp);
            Files.write(tmp, content);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Restricts an existing file or socket to its owner.
     *
     * @param file the file
     * @throws IOException if that fails
     */
    static void restrict(Path file) throws IOException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            Files.setPosixFilePermissions(file, FILE);
        }
    }

    /** Removes what only a running QEMU needs: socket, pid file, state record. */
    void removeRuntimeFiles() {
        for (Path p : new Path[] {qmpSocket(), pidFile(), stateFile()}) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // left behind; the next start replaces it
            }
        }
    }
}
