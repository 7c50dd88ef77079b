package org.vireo.core.disk;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vireo.api.inventory.ConflictException;
import org.vireo.api.inventory.NotFoundException;
import org.vireo.api.model.DiskSpec;
import org.vireo.api.model.VireoException;
import org.vireo.core.store.AtomicFiles;
import org.vireo.core.store.DataFolder;
import org.vireo.core.store.DocumentStore;
import org.vireo.core.store.FileTrees;
import org.vireo.core.store.VmDocument;

/**
 * Builds, copies and deletes VM directories. A new directory is assembled in a hidden working
 * directory and renamed into place in one step, so a VM either exists completely or not at all.
 * Each disk file lives in the VM's directory under {@link DiskSpec#fileName()}; a shared
 * disk's entry there is a symbolic link to its volume on the datastore, so a hypervisor finds
 * every disk at {@code DIRECTORY/FILE} while copies and deletions of the directory never touch
 * the volume.
 */
public final class VmFiles {
    private final DataFolder data;
    private final DocumentStore<VmDocument> store;

    /**
     * @param data the data folder
     * @param store the VM definitions
     */
    public VmFiles(DataFolder data, DocumentStore<VmDocument> store) {
        this.data = data;
        this.store = store;
    }

    /**
     * @param vm a VM's name
     * @param disk one of its own (not shared) disks
     * @return the absolute path of the disk's file
     */
    public Path disk(String vm, DiskSpec disk) {
        return data.vm(vm).resolve(disk.fileName());
    }

    /**
     * Checks what {@link #create} needs before anything is written: every base image exists,
     * every existing shared volume fits its disk.
     *
     * @param document the new VM
     * @throws NotFoundException for a missing base image
     * @throws ConflictException for a volume of another format or capacity
     */
    public void checkNew(VmDocument document) {
        for (DiskSpec disk : document.vm().disks()) {
            if (disk.shared()) {
                Path volume = data.resolve(document.volumes().get(disk.name()));
                if (Files.exists(volume)) {
                    String mismatch = io(document, () -> DiskFiles.mismatch(volume, disk));
                    if (!mismatch.isEmpty()) {
                        throw new ConflictException("cannot attach shared volume " + volume + " as disk '" + disk.name() + "' of VM '"
                                + document.name() + "': " + mismatch);
                    }
                }
            } else if (disk.base() != null && !Files.isRegularFile(Path.of(disk.base()))) {
                throw new NotFoundException("disk '" + disk.name() + "' of VM '" + document.name() + "' references base image "
                        + disk.base() + ", which does not exist");
            }
        }
    }

    /** How a new directory gets its disks. */
    private enum Mode {
        /** New disk files; shared volumes created when absent. */
        CREATE,
        /** New disk files (copy-on-write over their bases); shared volumes must exist. */
        LINK,
        /** Disk files copied from another directory; shared volumes must exist. */
        COPY
    }

    /**
     * Creates a VM's directory with new disk files (copy-on-write over their base where they
     * have one), its shared volumes (created if absent, else attached) and its {@code vm.json}.
     *
     * @param document the new VM
     * @throws ConflictException if its directory appeared meanwhile
     * @throws VireoException if a file cannot be written; nothing is left behind
     */
    public void create(VmDocument document) {
        assemble(document, null, Mode.CREATE);
    }

    /**
     * Creates a linked clone's directory: new copy-on-write disks over their bases, and the
     * shared volumes of its source, which must exist.
     *
     * @param document the clone
     * @throws NotFoundException if a shared volume is missing
     * @throws VireoException if a file cannot be written; nothing is left behind
     */
    public void link(VmDocument document) {
        requireVolumes(document);
        assemble(document, null, Mode.LINK);
    }

    /**
     * Creates a VM's directory by copying the disk files of another directory (a full clone,
     * an import); shared volumes must exist and are attached, not copied.
     *
     * @param document the new VM
     * @param from the directory holding the disk files under their {@link DiskSpec#fileName()}
     * @throws NotFoundException if a disk file or a shared volume is missing
     * @throws VireoException if a file cannot be copied; nothing is left behind
     */
    public void copy(VmDocument document, Path from) {
        for (DiskSpec disk : document.vm().disks()) {
            Path source = from.resolve(disk.fileName());
            if (!disk.shared() && !Files.isRegularFile(source)) {
                throw new NotFoundException("disk file " + source + " of disk '" + disk.name() + "' does not exist");
            }
        }
        requireVolumes(document);
        assemble(document, from, Mode.COPY);
    }

    private void requireVolumes(VmDocument document) {
        for (DiskSpec disk : document.vm().disks()) {
            Path volume = disk.shared() ? data.resolve(document.volumes().get(disk.name())) : null;
            if (volume != null && !Files.isRegularFile(volume)) {
                throw new NotFoundException("shared volume " + volume + " of disk '" + disk.name() + "' does not exist");
            }
        }
    }

    private void assemble(VmDocument document, Path from, Mode mode) {
        String name = document.name();
        List<Path> createdVolumes = new ArrayList<>();
        Path work = null;
        try {
            work = store.workDirectory(name, mode.name().toLowerCase(Locale.ROOT));
            for (DiskSpec disk : document.vm().disks()) {
                Path file = work.resolve(disk.fileName());
                if (disk.shared()) {
                    Path volume = data.resolve(document.volumes().get(disk.name()));
                    if (mode == Mode.CREATE && !Files.exists(volume)) {
                        Files.createDirectories(volume.getParent());
                        createVolume(volume, disk);
                        createdVolumes.add(volume);
                    }
                    Files.createSymbolicLink(file, volume);
                } else if (mode != Mode.COPY) {
                    DiskFiles.create(file, disk);
                } else {
                    SparseCopy.copy(from.resolve(disk.fileName()), file);
                }
            }
            store.write(work, document);
            store.commit(work, name);
        } catch (FileAlreadyExistsException e) {
            rollBack(work, createdVolumes);
            throw new ConflictException("cannot create VM '" + name + "': " + data.vm(name) + " already exists");
        } catch (IOException | RuntimeException e) {
            rollBack(work, createdVolumes);
            if (e instanceof VireoException ve) {
                throw ve;
            }
            throw new VireoException("cannot create VM '" + name + "' in " + data.vm(name) + ": " + e, e);
        }
    }

    private static void createVolume(Path volume, DiskSpec disk) throws IOException {
        Path temp = volume.resolveSibling("." + volume.getFileName() + ".creating");
        Files.deleteIfExists(temp);
        DiskFiles.create(temp, disk);
        Files.move(temp, volume, StandardCopyOption.ATOMIC_MOVE);
        AtomicFiles.syncDirectory(volume.getParent());
    }

    private static void rollBack(Path work, List<Path> createdVolumes) {
        if (work != null) {
            DocumentStore.deleteTree(work);
        }
        for (Path volume : createdVolumes) {
            try {
                Files.deleteIfExists(volume);
            } catch (IOException e) {
                // left for an operator: an unused, empty volume
            }
        }
    }

    /**
     * Copies a VM's {@code vm.json} and its own disk files (not its shared volumes) to
     * {@code target}, which must not exist or be an empty directory outside the data folder.
     *
     * @param document the VM
     * @param target the directory to write
     * @return the absolute target
     * @throws ConflictException if the target is a file, is not empty, or lies in the data folder
     * @throws VireoException if a file cannot be copied; what was written is removed
     */
    public Path export(VmDocument document, Path target) {
        Path dir = target.toAbsolutePath().normalize();
        if (dir.startsWith(data.root())) {
            throw new ConflictException("cannot export VM '" + document.name() + "' to " + dir + ": it lies inside the data folder "
                    + data.root() + "; choose a directory outside it");
        }
        boolean existed = Files.exists(dir, LinkOption.NOFOLLOW_LINKS);
        if (existed && !Files.isDirectory(dir)) {
            throw new ConflictException("cannot export VM '" + document.name() + "' to " + dir + ": it is a file, not a directory");
        }
        if (existed && !isEmpty(document, dir)) {
            throw new ConflictException("cannot export VM '" + document.name() + "' to " + dir
                    + ": the directory is not empty (the target must not exist or be empty)");
        }
        List<Path> written = new ArrayList<>();
        try {
            if (!existed) {
                Files.createDirectories(dir);
            }
            Path source = data.vm(document.name());
            for (DiskSpec disk : document.vm().disks()) {
                if (!disk.shared()) {
                    Path file = dir.resolve(disk.fileName());
                    SparseCopy.copy(source.resolve(disk.fileName()), file);
                    written.add(file);
                }
            }
            written.add(store.file(dir));
            store.write(dir, document);
            return dir;
        } catch (IOException | RuntimeException e) {
            try {
                if (existed) {
                    for (Path file : written) {
                        Files.deleteIfExists(file);
                    }
                } else {
                    FileTrees.delete(dir);
                }
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw new VireoException("cannot export VM '" + document.name() + "' to " + dir + ": " + e, e);
        }
    }

    /**
     * Deletes a VM's directory with its own disk files; shared volumes stay.
     *
     * @param vm the VM's name
     * @throws VireoException if it cannot be deleted
     */
    public void delete(String vm) {
        try {
            store.delete(vm);
        } catch (IOException e) {
            throw new VireoException("cannot delete the directory of VM '" + vm + "' (" + data.vm(vm) + "): " + e, e);
        }
    }

    private static boolean isEmpty(VmDocument document, Path dir) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            return !entries.iterator().hasNext();
        } catch (IOException e) {
            throw new VireoException("cannot export VM '" + document.name() + "' to " + dir + ": " + e, e);
        }
    }

    private interface IoCall<T> {
        T call() throws IOException;
    }

    private static <T> T io(VmDocument document, IoCall<T> call) {
        try {
            return call.call();
        } catch (IOException e) {
            throw new VireoException("cannot prepare VM '" + document.name() + "': " + e, e);
        }
    }
}
