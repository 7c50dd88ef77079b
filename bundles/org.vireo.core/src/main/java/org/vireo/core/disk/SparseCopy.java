package org.vireo.core.disk;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Copies a disk file without filling its holes: blocks that read as zeros are skipped, so a
 * sparse 100 GiB image that holds 1 GiB of data copies as 1 GiB. ({@code Files.copy} writes
 * every zero.)
 */
public final class SparseCopy {
    private static final int BLOCK = 64 * 1024;

    private SparseCopy() {
    }

    /**
     * @param source the file to copy
     * @param target a new file
     * @throws IOException if the target exists or a read or write fails
     */
    public static void copy(Path source, Path target) throws IOException {
        Files.createFile(target);
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
                RandomAccessFile outFile = new RandomAccessFile(target.toFile(), "rw")) {
            FileChannel out = outFile.getChannel();
            long size = in.size();
            ByteBuffer block = ByteBuffer.allocate(BLOCK);
            long position = 0;
            while (position < size) {
                block.clear();
                int read = in.read(block, position);
                if (read < 0) {
                    break;
                }
                block.flip();
                if (!isZero(block)) {
                    long at = position;
                    while (block.hasRemaining()) {
                        at += out.write(block, at);
                    }
                }
                position += read;
            }
            outFile.setLength(size);
            out.force(true);
        }
    }

    private static boolean isZero(ByteBuffer block) {
        int i = block.position();
        int end = block.limit();
        for (; i + 8 <= end; i += 8) {
            if (block.getLong(i) != 0) {
                return false;
            }
        }
        for (; i < end; i++) {
            if (block.get(i) != 0) {
                return false;
            }
        }
        return true;
    }
}
