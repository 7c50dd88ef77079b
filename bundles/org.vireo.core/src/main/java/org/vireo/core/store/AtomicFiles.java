package org.vireo.core.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Crash-safe replacement of small files: the new content goes to a temporary file in the same
 * directory, is forced to the device, and is renamed over the target in one atomic step, so a
 * reader (or a restart after {@code kill -9} or a power cut) sees either the old or the new
 * content, never a mix.
 */
public final class AtomicFiles {
    private static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    /**
     * @param target the file to create or replace; its directory must exist
     * @param content the complete new content
     * @throws IOException if it cannot be written; the target is then unchanged
     */
    public static void write(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", TEMP_SUFFIX);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        syncDirectory(dir);
    }

    /**
     * Makes a rename or a new entry in {@code dir} durable. Where the platform cannot open a
     * directory for syncing, the rename is already as durable as that platform makes it.
     *
     * @param dir a directory
     */
    public static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // not supported on this platform (e.g. Windows): nothing more can be done
        }
    }

    /**
     * @param file a file name
     * @param target the name of the file it would replace, e.g. {@code vm.json}
     * @return whether {@code file} is a temporary file {@link #write} leaves behind when the
     *         process dies before the rename
     */
    public static boolean isLeftover(Path file, String target) {
        String name = file.getFileName().toString();
        return name.startsWith("." + target + ".") && name.endsWith(TEMP_SUFFIX);
    }
}
