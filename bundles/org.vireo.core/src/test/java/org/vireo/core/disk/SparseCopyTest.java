package org.vireo.core.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparseCopyTest {
    private static final long MIB = 1024L * 1024;

    @TempDir
    Path dir;

    @Test
    void copyIsByteIdenticalIncludingDataInsideAndAtTheEndOfHoles() throws IOException {
        Path source = dir.resolve("src.img");
        byte[] chunk = new byte[10_000];
        new Random(7).nextBytes(chunk);
        try (RandomAccessFile file = new RandomAccessFile(source.toFile(), "rw")) {
            file.setLength(64 * MIB + 123);
            file.seek(5 * MIB + 17);
            file.write(chunk);
            file.seek(64 * MIB + 123 - 3);
            file.write(new byte[] {9, 8, 7});
        }
        Path target = dir.resolve("copy.img");
        SparseCopy.copy(source, target);
        assertEquals(Files.size(source), Files.size(target));
        assertArrayEquals(Files.readAllBytes(source), Files.readAllBytes(target));
    }

    @Test
    void holesStayHoles() throws IOException {
        Path source = dir.resolve("src.img");
        try (RandomAccessFile file = new RandomAccessFile(source.toFile(), "rw")) {
            file.setLength(256 * MIB);
            file.seek(MIB);
            file.write(new byte[] {1});
        }
        Long sourceBlocks = allocated(source);
        Assumptions.assumeTrue(sourceBlocks != null && sourceBlocks < 16 * MIB, "this file system does not keep sparse files");
        Path target = dir.resolve("copy.img");
        SparseCopy.copy(source, target);
        assertTrue(allocated(target) < 16 * MIB, "copy of a 256 MiB file holding one byte allocates " + allocated(target));
    }

    @Test
    void refusesToOverwrite() throws IOException {
        Path source = Files.writeString(dir.resolve("a"), "a");
        Path target = Files.writeString(dir.resolve("b"), "b");
        assertThrows(FileAlreadyExistsException.class, () -> SparseCopy.copy(source, target));
        assertEquals("b", Files.readString(target));
    }

    /** @return bytes allocated on the device, from {@code stat}, or {@code null} where it is not available */
    static Long allocated(Path file) {
        try {
            Process stat = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).redirectErrorStream(true).start();
            String out;
            try (InputStream in = stat.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            if (stat.waitFor() != 0) {
                return null;
            }
            String[] parts = out.split(" ");
            return Long.parseLong(parts[0]) * Long.parseLong(parts[1]);
        } catch (IOException | NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
