package org.vireo.core.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Qcow2Test {
    private static final long MIB = 1024L * 1024;

    @TempDir
    Path dir;

    @Test
    void headerCarriesVersionSizeAndClusterLayout() throws IOException {
        Path file = dir.resolve("d.qcow2");
        Qcow2.create(file, 10 * 1024 * MIB, null, null);
        ByteBuffer header = ByteBuffer.wrap(Files.readAllBytes(file));
        assertEquals(Qcow2.MAGIC, header.getInt(0));
        assertEquals(3, header.getInt(4));
        assertEquals(0, header.getLong(8), "no backing file");
        assertEquals(16, header.getInt(20));
        assertEquals(10 * 1024 * MIB, header.getLong(24));
        assertEquals(20, header.getInt(36), "L1 entries: one per 512 MiB");
        assertEquals(3 * 65536, header.getLong(40));
        assertEquals(65536, header.getLong(48));
        assertEquals(4, header.getInt(96), "16-bit refcounts");
        assertEquals(4 * 65536, Files.size(file), "header, refcount table, refcount block, one L1 cluster");
        for (int cluster = 0; cluster < 4; cluster++) {
            assertEquals(1, header.getShort(2 * 65536 + cluster * 2), "refcount of cluster " + cluster);
        }
        assertEquals(0, header.getShort(2 * 65536 + 4 * 2), "nothing else is allocated");
        assertEquals(new Qcow2.Header(3, 10 * 1024 * MIB, null, 16), Qcow2.read(file));
        assertTrue(Qcow2.isQcow2(file));
    }

    @Test
    void backingFileNameAndFormatAreRecorded() throws IOException {
        Path base = dir.resolve("base.img");
        Files.write(base, new byte[4096]);
        Path clone = dir.resolve("clone.qcow2");
        Qcow2.create(clone, 64 * MIB, base.toString(), "raw");
        assertEquals(base.toString(), Qcow2.read(clone).backingFile());
        assertFalse(Qcow2.isQcow2(base));
    }

    @Test
    void refusesBadSizesTooLongBackingNamesAndExistingFiles() throws IOException {
        assertThrows(IllegalArgumentException.class, () -> Qcow2.image(0, null, null));
        assertThrows(IllegalArgumentException.class, () -> Qcow2.image(64 * MIB, "/" + "x".repeat(1100), "raw"));
        Path file = dir.resolve("d.qcow2");
        Files.writeString(file, "mine");
        assertThrows(FileAlreadyExistsException.class, () -> Qcow2.create(file, MIB, null, null));
        assertEquals("mine", Files.readString(file));
    }

    @Test
    void qemuImgAcceptsAnEmptyImage() throws IOException {
        QemuImg.assumeInstalled();
        Path file = dir.resolve("d.qcow2");
        Qcow2.create(file, 10 * 1024 * MIB, null, null);
        assertClean(file);
        JsonNode info = info(file);
        assertEquals("qcow2", info.get("format").asText());
        assertEquals(10 * 1024 * MIB, info.get("virtual-size").asLong());
        assertEquals(65536, info.get("cluster-size").asInt());
        assertEquals("1.1", info.at("/format-specific/data/compat").asText(), "compat 1.1 is qcow2 version 3");
        assertNull(info.get("backing-filename"));
    }

    @Test
    void qemuImgAcceptsTheLargestDiskAndAnOddSize() throws IOException {
        QemuImg.assumeInstalled();
        Path big = dir.resolve("big.qcow2");
        Qcow2.create(big, 64L * 1024 * 1024 * MIB, null, null);
        assertClean(big);
        assertEquals(64L * 1024 * 1024 * MIB, info(big).get("virtual-size").asLong());
        Path small = dir.resolve("small.qcow2");
        Qcow2.create(small, MIB + 512, null, null);
        assertClean(small);
    }

    @Test
    void qemuImgFollowsLinkedClonesOverQcow2AndRawBases() throws IOException {
        QemuImg.assumeInstalled();
        Path qcowBase = dir.resolve("base.qcow2");
        Qcow2.create(qcowBase, 256 * MIB, null, null);
        Path rawBase = dir.resolve("base.img");
        try (RandomAccessFile raw = new RandomAccessFile(rawBase.toFile(), "rw")) {
            raw.setLength(256 * MIB);
        }
        for (Path base : new Path[] {qcowBase, rawBase}) {
            Path clone = dir.resolve("clone-of-" + base.getFileName() + ".qcow2");
            Qcow2.create(clone, 256 * MIB, base.toAbsolutePath().toString(), DiskFiles.formatOf(base));
            assertClean(clone);
            JsonNode info = info(clone);
            assertEquals(base.toAbsolutePath().toString(), info.get("backing-filename").asText());
            assertEquals(DiskFiles.formatOf(base), info.get("backing-filename-format").asText());
        }
    }

    @Test
    void dataWrittenByQemuStaysConsistentAndLinkedClonesReadItThroughTheirBase() throws IOException {
        QemuImg.assumeInstalled();
        Path base = dir.resolve("base.qcow2");
        Qcow2.create(base, 128 * MIB, null, null);
        QemuImg.Result write = QemuImg.tool("qemu-io", "-c", "write -P 0xab 1M 64k", base.toString());
        assertEquals(0, write.exit(), write.output());
        assertClean(base);

        Path clone = dir.resolve("clone.qcow2");
        Qcow2.create(clone, 128 * MIB, base.toAbsolutePath().toString(), "qcow2");
        QemuImg.Result read = QemuImg.tool("qemu-io", "-c", "read -P 0xab 1M 64k", clone.toString());
        assertEquals(0, read.exit(), read.output());
        assertFalse(read.output().contains("Pattern verification failed"), read.output());
        QemuImg.Result zeros = QemuImg.tool("qemu-io", "-c", "read -P 0 0 64k", clone.toString());
        assertFalse(zeros.output().contains("Pattern verification failed"), zeros.output());

        QemuImg.Result overwrite = QemuImg.tool("qemu-io", "-c", "write -P 0xcd 1M 4k", clone.toString());
        assertEquals(0, overwrite.exit(), overwrite.output());
        assertClean(clone);
        QemuImg.Result baseUnchanged = QemuImg.tool("qemu-io", "-c", "read -P 0xab 1M 4k", base.toString());
        assertFalse(baseUnchanged.output().contains("Pattern verification failed"), "copy-on-write left the base alone: "
                + baseUnchanged.output());
    }

    private static void assertClean(Path file) throws IOException {
        QemuImg.Result check = QemuImg.run("check", "--output=json", file.toString());
        assertEquals(0, check.exit(), "qemu-img check " + file + ": " + check.output());
        JsonNode result = new ObjectMapper().readTree(check.output());
        assertEquals(0, result.path("corruptions").asInt(0), check.output());
        assertEquals(0, result.path("leaks").asInt(0), check.output());
    }

    private static JsonNode info(Path file) throws IOException {
        QemuImg.Result info = QemuImg.run("info", "--output=json", file.toString());
        assertEquals(0, info.exit(), info.output());
        return new ObjectMapper().readTree(info.output());
    }
}
