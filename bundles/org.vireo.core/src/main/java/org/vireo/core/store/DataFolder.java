package org.vireo.core.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.vireo.api.model.DiskSpec;
import org.vireo.api.model.VireoException;

/**
 * The layout of the data folder:
 * <pre>
 * DATA/hosts/NAME/host.json
 * DATA/vms/NAME/vm.json            plus the VM's own disk files
 * DATA/datastores/DS/VM-DISK.ext   shared volumes
 * </pre>
 */
public final class DataFolder {
    /** The framework property that names the data folder. */
    public static final String PROPERTY = "vireo.data";

    private static final Logger LOG = Logger.getLogger(DataFolder.class.getName());

    private final Path root;

    /**
     * Creates the folder and its sub-folders if needed.
     *
     * @param root the data folder
     * @throws VireoException if it cannot be created
     */
    public DataFolder(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(hosts());
            Files.createDirectories(vms());
            Files.createDirectories(datastores());
        } catch (IOException e) {
            throw new VireoException("cannot use the data folder " + this.root + ": " + e, e);
        }
    }

    /**
     * Chooses the data folder: the framework property {@value #PROPERTY}; else
     * {@code ${user.home}/.vireo}; as a last resort {@code ${java.io.tmpdir}/vireo}, which
     * does not survive a reboot and is therefore logged as a warning.
     *
     * @param configured the value of {@value #PROPERTY}, or {@code null}
     * @param userHome the {@code user.home} system property, or {@code null}
     * @param tmpDir the {@code java.io.tmpdir} system property
     * @return the folder to use
     */
    public static Path choose(String configured, String userHome, String tmpDir) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.trim());
        }
        if (userHome != null && !userHome.isBlank()) {
            Path home = Path.of(userHome);
            Path candidate = home.resolve(".vireo");
            if (Files.isDirectory(candidate) ? Files.isWritable(candidate) : Files.isWritable(home)) {
                LOG.info(() -> PROPERTY + " is not set: keeping data in " + candidate);
                return candidate;
            }
        }
        Path last = Path.of(tmpDir == null ? "." : tmpDir, "vireo");
        LOG.log(Level.WARNING, () -> PROPERTY + " is not set and the home folder is not writable: keeping data in "
                + last + ", which may not survive a reboot; set " + PROPERTY + " to keep it");
        return last;
    }

    /** @return the data folder, absolute */
    public Path root() {
        return root;
    }

    /** @return the folder of host definitions */
    public Path hosts() {
        return root.resolve("hosts");
    }

    /** @return the folder of VM directories */
    public Path vms() {
        return root.resolve("vms");
    }

    /** @return the folder of the datastores' shared volumes */
    public Path datastores() {
        return root.resolve("datastores");
    }

    /**
     * @param vm a VM's name
     * @return its directory
     */
    public Path vm(String vm) {
        return vms().resolve(vm);
    }

    /**
     * @param vm the VM that creates the volume
     * @param disk its shared disk
     * @return the volume's path relative to the data folder, as saved in {@code vm.json}
     */
    public String volume(String vm, DiskSpec disk) {
        return "datastores/" + disk.datastore() + "/" + vm + "-" + disk.fileName();
    }

    /**
     * @param relative a path saved in {@code vm.json}
     * @return the absolute path
     */
    public Path resolve(String relative) {
        return root.resolve(relative).normalize();
    }
}
