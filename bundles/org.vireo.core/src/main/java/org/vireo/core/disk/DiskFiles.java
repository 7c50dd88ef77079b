package org.vireo.core.disk;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.vireo.api.model.DiskFormat;
import org.vireo.api.model.DiskSpec;

/** Creation and inspection of single disk files. */
public final class DiskFiles {
    private static final long MIB = 1024L * 1024;

    private DiskFiles() {
    }

    /**
     * Creates a disk's file: a sparse file of the capacity for {@code RAW}, an empty qcow2
     * image for {@code COW} (over its base for a linked clone).
     *
     * @param file the file, which must not exist
     * @param disk the disk
     * @throws IOException if it exists or cannot be written, or the base cannot be read
     */
    public static void create(Path file, DiskSpec disk) throws IOException {
        long bytes = disk.capacityMiB() * MIB;
        if (disk.format() == DiskFormat.RAW) {
            Files.createFile(file);
            try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
                raw.setLength(bytes);
                raw.getFD().sync();
            }
        } else {
            String base = disk.base();
            Qcow2.create(file, bytes, base, base == null ? null : formatOf(Path.of(base)));
        }
    }

    /**
     * @param file an existing disk file
     * @return {@code qcow2} or {@code raw}, by its content
     * @throws IOException if it cannot be read
     */
    public static String formatOf(Path file) throws IOException {
        return Qcow2.isQcow2(file) ? "qcow2" : "raw";
    }

    /**
     * Checks that an existing file can serve as {@code disk}: same format and capacity.
     *
     * @param file an existing file
     * @param disk the disk that would use it
     * @return empty if it fits, else what differs
     * @throws IOException if it cannot be read
     */
    public static String mismatch(Path file, DiskSpec disk) throws IOException {
        long wanted = disk.capacityMiB() * MIB;
        boolean qcow = Qcow2.isQcow2(file);
        if (qcow != (disk.format() == DiskFormat.COW)) {
            return "it is " + (qcow ? "qcow2" : "raw") + " but the disk is " + disk.format().id();
        }
        long actual = qcow ? Qcow2.read(file).size() : Files.size(file);
        if (actual != wanted) {
            return "its capacity is " + actual / MIB + " MiB but the disk asks for " + disk.capacityMiB() + " MiB";
        }
        return "";
    }
}
