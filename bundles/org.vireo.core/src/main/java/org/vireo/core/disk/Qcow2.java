package org.vireo.core.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes empty qcow2 version 3 images and reads back their header. An image made here holds
 * only metadata, in 64 KiB clusters:
 * <pre>
 * cluster 0      header, header extensions (backing format), backing file name
 * cluster 1      refcount table (one entry: the refcount block)
 * cluster 2      refcount block (16-bit refcounts of clusters 0 .. 2 + L1 clusters)
 * cluster 3 ..   L1 table, all entries zero: nothing allocated, every read falls through to
 *                the backing file (or reads zeros without one)
 * </pre>
 * The format is QEMU's {@code docs/interop/qcow2.txt}; {@code qemu-img check} accepts these
 * images as clean.
 */
public final class Qcow2 {
    /** {@code QFI\xfb}. */
    public static final int MAGIC = 0x514649fb;
    /** The version written. */
    public static final int VERSION = 3;
    /** 64 KiB clusters. */
    public static final int CLUSTER_BITS = 16;
    /** Bytes in a cluster. */
    public static final int CLUSTER_SIZE = 1 << CLUSTER_BITS;
    /** The longest backing file name QEMU accepts. */
    public static final int MAX_BACKING_NAME = 1023;

    private static final int HEADER_LENGTH = 104;
    private static final int REFCOUNT_ORDER = 4;
    private static final int EXT_END = 0;
    private static final int EXT_BACKING_FORMAT = 0xE2792ACA;
    private static final long L2_ENTRIES = CLUSTER_SIZE / 8;
    private static final long MAX_SIZE = 1L << 50;

    private Qcow2() {
    }

    /**
     * What a header says.
     *
     * @param version the qcow2 version
     * @param size the virtual size in bytes
     * @param backingFile the backing file name, or {@code null}
     * @param clusterBits log2 of the cluster size
     */
    public record Header(int version, long size, String backingFile, int clusterBits) {
    }

    /**
     * Builds an empty image.
     *
     * @param size the virtual size in bytes, 1 byte to 1 PiB
     * @param backingFile the base image, or {@code null}
     * @param backingFormat {@code qcow2} or {@code raw}: the base's format, recorded so that
     *        readers need not probe it; ignored without a base
     * @return the complete file content
     * @throws IllegalArgumentException for a size out of range or a backing name too long
     */
    public static byte[] image(long size, String backingFile, String backingFormat) {
        if (size <= 0 || size > MAX_SIZE) {
            throw new IllegalArgumentException("qcow2 size " + size + " is outside 1 .. " + MAX_SIZE + " bytes");
        }
        byte[] backing = backingFile == null ? new byte[0] : backingFile.getBytes(StandardCharsets.UTF_8);
        if (backing.length > MAX_BACKING_NAME) {
            throw new IllegalArgumentException("backing file name of " + backing.length + " bytes is longer than "
                    + MAX_BACKING_NAME);
        }
        long l1Entries = ceilDiv(size, CLUSTER_SIZE * L2_ENTRIES);
        int l1Clusters = (int) ceilDiv(l1Entries * 8, CLUSTER_SIZE);
        int clusters = 3 + l1Clusters;
        ByteBuffer image = ByteBuffer.allocate(clusters * CLUSTER_SIZE);

        // header extensions, then the backing file name, right after the header
        int position = HEADER_LENGTH;
        if (backingFile != null) {
            byte[] format = (backingFormat == null ? "raw" : backingFormat).getBytes(StandardCharsets.US_ASCII);
            image.putInt(position, EXT_BACKING_FORMAT);
            image.putInt(position + 4, format.length);
            image.put(position + 8, format);
            position += 8 + (int) ceilDiv(format.length, 8) * 8;
        }
        image.putInt(position, EXT_END);
        image.putInt(position + 4, 0);
        position += 8;
        int backingOffset = position;
        image.put(backingOffset, backing);

        image.putInt(0, MAGIC);
        image.putInt(4, VERSION);
        image.putLong(8, backingFile == null ? 0 : backingOffset);
        image.putInt(16, backing.length);
        image.putInt(20, CLUSTER_BITS);
        image.putLong(24, size);
        image.putInt(32, 0); // no encryption
        image.putInt(36, (int) l1Entries);
        image.putLong(40, 3L * CLUSTER_SIZE); // L1 table
        image.putLong(48, CLUSTER_SIZE); // refcount table
        image.putInt(56, 1); // refcount table clusters
        image.putInt(60, 0); // snapshots
        image.putLong(64, 0);
        image.putLong(72, 0); // incompatible features
        image.putLong(80, 0); // compatible features
        image.putLong(88, 0); // autoclear features
        image.putInt(96, REFCOUNT_ORDER);
        image.putInt(100, HEADER_LENGTH);

        image.putLong(CLUSTER_SIZE, 2L * CLUSTER_SIZE); // refcount table entry 0 -> refcount block
        for (int cluster = 0; cluster < clusters; cluster++) {
            image.putShort(2 * CLUSTER_SIZE + cluster * 2, (short) 1);
        }
        return image.array();
    }

    /**
     * Writes an empty image to a new file.
     *
     * @param file the file, which must not exist
     * @param size the virtual size in bytes
     * @param backingFile the base image, or {@code null}
     * @param backingFormat the base's format, {@code qcow2} or {@code raw}
     * @throws IOException if the file exists or cannot be written
     */
    public static void create(Path file, long size, String backingFile, String backingFormat) throws IOException {
        byte[] content = image(size, backingFile, backingFormat);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    /**
     * @param file a file
     * @return whether it starts with the qcow2 magic
     * @throws IOException if it cannot be read
     */
    public static boolean isQcow2(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer magic = ByteBuffer.allocate(4);
            while (magic.hasRemaining() && channel.read(magic) >= 0) {
                // keep reading
            }
            return !magic.hasRemaining() && magic.getInt(0) == MAGIC;
        }
    }

    /**
     * @param file a qcow2 image
     * @return its header
     * @throws IOException if it cannot be read or is not qcow2
     */
    public static Header read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH);
            readFully(channel, header, 0);
            if (header.getInt(0) != MAGIC) {
                throw new IOException(file + " is not a qcow2 image (bad magic)");
            }
            long backingOffset = header.getLong(8);
            int backingLength = header.getInt(16);
            String backing = null;
            if (backingOffset != 0 && backingLength > 0) {
                if (backingLength > MAX_BACKING_NAME) {
                    throw new IOException(file + ": backing file name of " + backingLength + " bytes is too long");
                }
                ByteBuffer name = ByteBuffer.allocate(backingLength);
                readFully(channel, name, backingOffset);
                backing = new String(name.array(), StandardCharsets.UTF_8);
            }
            return new Header(header.getInt(4), header.getLong(24), backing, header.getInt(20));
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new IOException("unexpected end of file at " + at);
            }
            at += n;
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
