package org.vireo.core.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vireo.api.inventory.ConflictException;
import org.vireo.api.inventory.NotFoundException;
import org.vireo.api.model.DiskFormat;
import org.vireo.api.model.DiskSpec;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.VmState;
import org.vireo.core.store.DataFolder;
import org.vireo.core.store.DocumentStore;
import org.vireo.core.store.FormatVersion;
import org.vireo.core.store.VmDocument;

class VmFilesTest {
    private static final long MIB = 1024L * 1024;

    @TempDir
    Path tmp;

    private DataFolder data;
    private DocumentStore<VmDocument> store;
    private VmFiles files;

    @BeforeEach
    void setUp() {
        data = new DataFolder(tmp.resolve("data"));
        store = new DocumentStore<>(data.vms(), "vm.json", VmDocument.class, VmDocument::name);
        files = new VmFiles(data, store);
    }

    private VmDocument document(String name, DiskSpec... disks) {
        Map<String, String> volumes = Stream.of(disks).filter(DiskSpec::shared)
                .collect(Collectors.toMap(DiskSpec::name, d -> data.volume(name, d)));
        return new VmDocument(FormatVersion.CURRENT, VmSpec.of(name, 1, 512).withDisks(List.of(disks)), "h1", VmState.DEFINED,
                "t", null, volumes);
    }

    private static DiskSpec cow(String name, long mib) {
        return new DiskSpec(name, mib, "local", DiskFormat.COW, null, false);
    }

    private static DiskSpec raw(String name, long mib) {
        return new DiskSpec(name, mib, "local", DiskFormat.RAW, null, false);
    }

    private static DiskSpec shared(String name, long mib) {
        return new DiskSpec(name, mib, "san", DiskFormat.RAW, null, true);
    }

    @Test
    void createWritesEveryDiskAndTheDefinitionInTheVmDirectory() throws Exception {
        VmDocument vm = document("vm1", cow("os", 10240), raw("scratch", 512), shared("data", 256));
        files.create(vm);
        Path dir = data.vm("vm1");
        assertEquals(vm, store.read(store.file(dir)));
        assertEquals(10240 * MIB, Qcow2.read(dir.resolve("os.qcow2")).size());
        assertEquals(512 * MIB, Files.size(dir.resolve("scratch.img")));
        Path volume = data.datastores().resolve("san/vm1-data.img");
        assertTrue(Files.isSymbolicLink(dir.resolve("data.img")));
        assertEquals(volume, Files.readSymbolicLink(dir.resolve("data.img")));
        assertEquals(256 * MIB, Files.size(volume));
        assertEquals(List.of("data.img", "os.qcow2", "scratch.img", "vm.json"), names(dir));
        assertEquals(List.of(), hidden(data.vms()), "no working directory is left");
    }

    @Test
    void existingSharedVolumeIsAttachedWhenItFitsAndRefusedWhenItDoesNot() throws Exception {
        files.create(document("vm1", shared("data", 256)));
        Path volume = data.datastores().resolve("san/vm1-data.img");
        try (RandomAccessFile guest = new RandomAccessFile(data.vm("vm1").resolve("data.img").toFile(), "rw")) {
            guest.write("written by the guest".getBytes(StandardCharsets.UTF_8));
        }
        files.delete("vm1");
        assertTrue(Files.exists(volume), "deleting a VM keeps its shared volume");

        VmDocument again = document("vm1", shared("data", 256));
        files.checkNew(again);
        files.create(again);
        assertEquals("written by the guest", new String(Files.readAllBytes(volume), 0, 20, StandardCharsets.UTF_8));
        assertEquals(256 * MIB, Files.size(volume));
        files.delete("vm1");

        VmDocument bigger = document("vm1", shared("data", 512));
        ConflictException e = assertThrows(ConflictException.class, () -> files.checkNew(bigger));
        assertTrue(e.getMessage().contains("its capacity is 256 MiB but the disk asks for 512 MiB"), e.getMessage());
    }

    @Test
    void linkedCloneDiskIsCopyOnWriteOverTheAbsoluteBaseAndAMissingBaseIsRefused() throws Exception {
        files.create(document("src", raw("os", 64)));
        Path base = files.disk("src", raw("os", 64));
        assertTrue(base.isAbsolute());
        VmDocument clone = document("clone", raw("os", 64).withBase(base.toString()));
        files.checkNew(clone);
        files.create(clone);
        Qcow2.Header header = Qcow2.read(data.vm("clone").resolve("os.qcow2"));
        assertEquals(base.toString(), header.backingFile());
        assertEquals(64 * MIB, header.size());

        VmDocument orphan = document("orphan", cow("os", 64).withBase(tmp.resolve("gone.img").toString()));
        NotFoundException e = assertThrows(NotFoundException.class, () -> files.checkNew(orphan));
        assertTrue(e.getMessage().contains("references base image " + tmp.resolve("gone.img") + ", which does not exist"), e.getMessage());
    }

    @Test
    void copyDuplicatesOwnDisksAndRelinksSharedVolumes() throws Exception {
        files.create(document("src", raw("os", 8), shared("data", 8)));
        Files.write(data.vm("src").resolve("os.img"), new byte[] {1, 2, 3}, StandardOpenOption.WRITE);
        VmDocument copy = new VmDocument(FormatVersion.CURRENT, VmSpec.of("copy", 1, 512).withDisks(List.of(raw("os", 8),
                shared("data", 8))), "h1", VmState.DEFINED, "t", "src", document("src", shared("data", 8)).volumes());
        files.copy(copy, data.vm("src"));
        assertArrayEquals(Files.readAllBytes(data.vm("src").resolve("os.img")), Files.readAllBytes(data.vm("copy").resolve("os.img")));
        assertEquals(Files.readSymbolicLink(data.vm("src").resolve("data.img")), Files.readSymbolicLink(data.vm("copy").resolve("data.img")));
    }

    @Test
    void linkAttachesExistingVolumesButNeverCreatesThem() throws Exception {
        files.create(document("src", raw("os", 8), shared("data", 8)));
        Path base = files.disk("src", raw("os", 8));
        VmDocument clone = new VmDocument(FormatVersion.CURRENT, VmSpec.of("clone", 1, 512).withDisks(List.of(
                raw("os", 8).withBase(base.toString()), shared("data", 8))), "h1", VmState.DEFINED, "t", "src",
                document("src", shared("data", 8)).volumes());
        files.link(clone);
        assertEquals(base.toString(), Qcow2.read(data.vm("clone").resolve("os.qcow2")).backingFile());
        assertEquals(data.datastores().resolve("san/src-data.img"), Files.readSymbolicLink(data.vm("clone").resolve("data.img")));

        VmDocument orphan = new VmDocument(FormatVersion.CURRENT, VmSpec.of("orphan", 1, 512).withDisks(List.of(shared("gone", 8))),
                "h1", VmState.DEFINED, "t", "src", Map.of("gone", "datastores/san/nobody-gone.img"));
        NotFoundException e = assertThrows(NotFoundException.class, () -> files.link(orphan));
        assertTrue(e.getMessage().contains("shared volume " + data.datastores().resolve("san/nobody-gone.img") + " of disk 'gone' does "
                + "not exist"), e.getMessage());
        assertFalse(Files.exists(data.datastores().resolve("san/nobody-gone.img")));
        assertFalse(Files.exists(data.vm("orphan")));
    }

    @Test
    void copyRefusesMissingDiskFilesAndLeavesNothing() throws Exception {
        Path from = Files.createDirectories(tmp.resolve("export"));
        VmDocument vm = document("imp", raw("os", 8));
        NotFoundException e = assertThrows(NotFoundException.class, () -> files.copy(vm, from));
        assertTrue(e.getMessage().contains(from.resolve("os.img") + " of disk 'os' does not exist"), e.getMessage());
        assertFalse(Files.exists(data.vm("imp")));
        assertEquals(List.of(), hidden(data.vms()));
    }

    @Test
    void createIntoAnExistingDirectoryIsAConflictAndRemovesWhatItBuilt() throws Exception {
        Path dir = Files.createDirectories(data.vm("vm1"));
        Files.writeString(dir.resolve("vm.json"), "{broken");
        VmDocument vm = document("vm1", raw("os", 8), shared("data", 8));
        assertThrows(ConflictException.class, () -> files.create(vm));
        assertEquals("{broken", Files.readString(dir.resolve("vm.json")));
        assertEquals(List.of("vm.json"), names(dir));
        assertEquals(List.of(), hidden(data.vms()));
        assertFalse(Files.exists(data.datastores().resolve("san/vm1-data.img")), "a volume created for the failed VM is removed");
    }

    @Test
    void exportCopiesDefinitionAndOwnDisksOnlyIntoANewOrEmptyDirectory() throws Exception {
        VmDocument vm = document("vm1", raw("os", 8), shared("data", 8));
        files.create(vm);
        Path target = files.export(vm, tmp.resolve("out/vm1"));
        assertEquals(List.of("os.img", "vm.json"), names(target));
        assertEquals(vm, store.read(store.file(target)));

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        files.export(vm, empty);
        assertEquals(List.of("os.img", "vm.json"), names(empty));

        ConflictException notEmpty = assertThrows(ConflictException.class, () -> files.export(vm, target));
        assertTrue(notEmpty.getMessage().contains("is not empty"), notEmpty.getMessage());
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThrows(ConflictException.class, () -> files.export(vm, file));
        ConflictException inside = assertThrows(ConflictException.class, () -> files.export(vm, data.vms().resolve("ghost")));
        assertTrue(inside.getMessage().contains("inside the data folder"), inside.getMessage());
        assertFalse(Files.exists(data.vms().resolve("ghost")));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static List<String> hidden(Path dir) throws IOException {
        return names(dir).stream().filter(n -> n.startsWith(".")).collect(Collectors.toList());
    }
}
