package org.vireo.core.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vireo.api.model.CpuQos;
import org.vireo.api.model.DiskFormat;
import org.vireo.api.model.DiskSpec;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;
import org.vireo.api.model.MemoryQos;
import org.vireo.api.model.NicSpec;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.VmState;
import org.vireo.api.model.WorkloadSpec;

class DocumentStoreTest {
    @TempDir
    Path root;

    private DocumentStore<VmDocument> store;

    @BeforeEach
    void setUp() {
        store = new DocumentStore<>(root, "vm.json", VmDocument.class, VmDocument::name);
    }

    private static VmDocument document(String name) {
        VmSpec spec = new VmSpec(name, 2, 2048, new CpuQos(3000L, 500, 2000), new MemoryQos(512, 1500),
                List.of(new DiskSpec("disk0", 10240, "local", DiskFormat.COW, null, false),
                        new DiskSpec("data", 2048, "san", DiskFormat.RAW, null, true)),
                List.of(new NicSpec("nic0", "lan", "52:54:00:12:34:56")), WorkloadSpec.parse("web:cpu=30,peak=80"), "debian-12");
        return new VmDocument(FormatVersion.CURRENT, spec, "h1", VmState.STOPPED, "2025-01-01T00:00:00Z", "base",
                Map.of("data", "datastores/san/" + name + "-data.img"));
    }

    private Path save(VmDocument document) throws IOException {
        Path dir = Files.createDirectories(store.directory(document.name()));
        store.write(dir, document);
        return store.file(dir);
    }

    @Test
    void documentsRoundTripWithEveryField() throws Exception {
        VmDocument written = document("vm1");
        Path file = save(written);
        assertEquals(written, store.read(file));
        String json = Files.readString(file);
        assertTrue(json.contains("\"format\" : \"1.0\""), json);
        assertFalse(json.contains("limited"), "isX() helpers are not saved: " + json);
        HostDocument host = new HostDocument(FormatVersion.CURRENT, HostSpec.of("h1", 8, 2400, 16384, HypervisorKind.HYBRID), "t");
        assertEquals(host, Json.read(Json.write(host), HostDocument.class));
    }

    @Test
    void corruptDefinitionIsReportedSkippedAndKeptByteIdentical() throws Exception {
        save(document("good"));
        Path bad = Files.createDirectories(root.resolve("bad")).resolve("vm.json");
        byte[] garbage = "{\"format\":\"1.0\",\"vm\":{\"name\":\"bad\",\"vcpus\":".getBytes(StandardCharsets.UTF_8);
        Files.write(bad, garbage);

        DocumentStore.Loaded<VmDocument> loaded = store.load();
        assertEquals(List.of("good"), loaded.documents().stream().map(VmDocument::name).toList());
        assertEquals(1, loaded.problems().size());
        assertTrue(loaded.problems().get(0).startsWith(bad + ": it is not valid JSON"), loaded.problems().get(0));
        assertArrayEquals(garbage, Files.readAllBytes(bad));
    }

    @Test
    void invalidValueIsReportedWithTheModelsMessage() throws Exception {
        Path file = save(document("vm1"));
        byte[] edited = Files.readString(file).replace("\"vcpus\" : 2", "\"vcpus\" : 999").getBytes(StandardCharsets.UTF_8);
        Files.write(file, edited);
        DocumentStore.Loaded<VmDocument> loaded = store.load();
        assertEquals(List.of(), loaded.documents());
        assertTrue(loaded.problems().get(0).contains("vcpus: 999 is not allowed; expected an integer from 1 to 256"),
                loaded.problems().get(0));
        assertArrayEquals(edited, Files.readAllBytes(file));
    }

    @Test
    void unknownMajorVersionIsRejectedWithAClearMessage() throws Exception {
        Path file = save(document("vm1"));
        byte[] v2 = Files.readString(file).replace("\"format\" : \"1.0\"", "\"format\" : \"2.0\"").getBytes(StandardCharsets.UTF_8);
        Files.write(file, v2);
        UnreadableDocumentException e = assertThrows(UnreadableDocumentException.class, () -> store.read(file));
        assertEquals("format 2.0 is not supported: this version of Vireo reads format 1.x only", e.getMessage());
        DocumentStore.Loaded<VmDocument> loaded = store.load();
        assertEquals(List.of(file + ": format 2.0 is not supported: this version of Vireo reads format 1.x only"), loaded.problems());
        assertArrayEquals(v2, Files.readAllBytes(file));
    }

    @Test
    void newerAndOlderMinorVersionsAreAccepted() throws Exception {
        Path file = save(document("vm1"));
        String json = Files.readString(file);
        Files.writeString(file, json.replace("\"format\" : \"1.0\"", "\"format\" : \"1.7\", \"addedIn17\" : {\"x\" : [1, 2]}"));
        assertEquals(document("vm1").vm(), store.read(file).vm());
        Files.writeString(file, json.replace("\"format\" : \"1.0\"", "\"format\" : \"1.0\"").replace(",\n  \"clonedFrom\" : \"base\"", ""));
        assertEquals(null, store.read(file).clonedFrom());
    }

    @Test
    void missingOrMalformedFormatIsRejected() throws Exception {
        Path file = save(document("vm1"));
        String json = Files.readString(file);
        Files.writeString(file, json.replace("\"format\" : \"1.0\",", ""));
        assertEquals("it has no \"format\" field (expected \"1.0\")",
                assertThrows(UnreadableDocumentException.class, () -> store.read(file)).getMessage());
        Files.writeString(file, json.replace("\"format\" : \"1.0\"", "\"format\" : \"one\""));
        assertTrue(assertThrows(UnreadableDocumentException.class, () -> store.read(file)).getMessage().startsWith("format 'one'"));
    }

    @Test
    void directoryWithoutDefinitionOrWithAnotherNameIsReported() throws Exception {
        Files.createDirectories(root.resolve("empty"));
        Path file = save(document("vm1"));
        Path moved = Files.createDirectories(root.resolve("vm2")).resolve("vm.json");
        Files.copy(file, moved);
        DocumentStore.Loaded<VmDocument> loaded = store.load();
        assertEquals(List.of("vm1"), loaded.documents().stream().map(VmDocument::name).toList());
        assertEquals(2, loaded.problems().size());
        assertTrue(loaded.problems().get(0).endsWith("empty/vm.json: the file is missing"), loaded.problems().get(0));
        assertTrue(loaded.problems().get(1).contains("defines 'vm1' but lives in directory 'vm2'"), loaded.problems().get(1));
        assertTrue(Files.exists(moved));
    }

    @Test
    void loadRemovesOnlyTheRemainsOfUnfinishedOperations() throws Exception {
        Path work = store.workDirectory("vm9", "creating");
        Files.writeString(work.resolve("disk0.img"), "partial");
        Path foreign = Files.createDirectories(root.resolve(".keep-me"));
        save(document("vm1"));
        Files.writeString(store.directory("vm1").resolve(".vm.json.42.tmp"), "{\"format\":");
        Files.writeString(store.directory("vm1").resolve("notes.txt"), "mine");

        assertEquals(1, store.load().documents().size());
        assertFalse(Files.exists(work));
        assertTrue(Files.exists(foreign));
        assertFalse(Files.exists(store.directory("vm1").resolve(".vm.json.42.tmp")));
        assertTrue(Files.exists(store.directory("vm1").resolve("notes.txt")));
    }

    @Test
    void commitRefusesAnExistingTargetAndDeleteRemovesTheWholeDirectory() throws Exception {
        save(document("vm1"));
        Path work = store.workDirectory("vm1", "creating");
        assertThrows(FileAlreadyExistsException.class, () -> store.commit(work, "vm1"));
        store.delete("vm1");
        assertFalse(Files.exists(store.directory("vm1")));
        store.commit(work, "vm1");
        assertTrue(Files.isDirectory(store.directory("vm1")));
    }
}
