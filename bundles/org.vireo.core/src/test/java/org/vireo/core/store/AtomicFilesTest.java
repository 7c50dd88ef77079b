package org.vireo.core.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void writeCreatesThenReplacesAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("vm.json");
        AtomicFiles.write(target, "first".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(target, "second".getBytes(StandardCharsets.UTF_8));
        assertEquals("second", Files.readString(target));
        assertEquals(List.of("vm.json"), names(dir));
    }

    @Test
    void failedReplacementKeepsTheOldContentAndRemovesItsTemporaryFile() throws IOException {
        Path target = dir.resolve("vm.json");
        Files.createDirectory(target);
        Files.writeString(target.resolve("keep"), "x");
        assertThrows(IOException.class, () -> AtomicFiles.write(target, "new".getBytes(StandardCharsets.UTF_8)));
        assertEquals("x", Files.readString(target.resolve("keep")));
        assertEquals(List.of("vm.json"), names(dir));
    }

    @Test
    void leftoverNamesMatchOnlyTheTemporaryFilesOfThatTarget() {
        assertTrue(AtomicFiles.isLeftover(Path.of(".vm.json.123456.tmp"), "vm.json"));
        assertFalse(AtomicFiles.isLeftover(Path.of("vm.json"), "vm.json"));
        assertFalse(AtomicFiles.isLeftover(Path.of(".host.json.1.tmp"), "vm.json"));
        assertFalse(AtomicFiles.isLeftover(Path.of("disk0.qcow2"), "vm.json"));
    }

    /**
     * A writer process is killed with SIGKILL while it rewrites a large {@code vm.json} in a
     * loop: the definition left behind is complete and readable, and loading cleans the
     * temporary file of the interrupted write.
     */
    @Test
    void killMinusNineDuringWritesLeavesACompleteReadableDefinition() throws Exception {
        Path vms = Files.createDirectory(dir.resolve("vms"));
        Path vmDir = Files.createDirectory(vms.resolve("vm1"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), AtomicWriterProcess.class.getName(),
                vmDir.toString()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            int written = 0;
            while (written < 25 && (line = out.readLine()) != null) {
                if (line.startsWith("written ")) {
                    written = Integer.parseInt(line.substring(8).trim());
                }
            }
            assertEquals(25, written, "the writer process ran");
            child.destroyForcibly();
            child.waitFor();
        }

        DocumentStore<VmDocument> store = new DocumentStore<>(vms, "vm.json", VmDocument.class, VmDocument::name);
        byte[] left = Files.readAllBytes(vmDir.resolve("vm.json"));
        VmDocument document = store.read(vmDir.resolve("vm.json"));
        int vcpus = document.vm().vcpus();
        boolean matchesAWrite = false;
        for (long n = 1; n <= 300 && !matchesAWrite; n++) {
            matchesAWrite = (int) (n % 256) + 1 == vcpus && Arrays.equals(AtomicWriterProcess.content(n), left);
        }
        assertTrue(matchesAWrite, "vm.json is exactly one complete write");

        DocumentStore.Loaded<VmDocument> loaded = store.load();
        assertEquals(1, loaded.documents().size());
        assertEquals(List.of(), loaded.problems());
        assertEquals(List.of("vm.json"), names(vmDir), "temporary files of the interrupted write are cleaned at load");
        assertArrayEquals(left, Files.readAllBytes(vmDir.resolve("vm.json")));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}
