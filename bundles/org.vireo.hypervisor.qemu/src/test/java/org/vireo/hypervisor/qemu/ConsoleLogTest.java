package org.vireo.hypervisor.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vireo.api.inventory.NotFoundException;
import org.vireo.api.inventory.VmService;
import org.vireo.api.inventory.VmView;
import org.vireo.api.model.InvalidSpecException;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.VmState;

class ConsoleLogTest {
    @TempDir
    Path dir;

    /** The inventory: VMs by name, their directories under the temp dir. */
    private VmService vms(String... names) {
        Map<String, VmView> views = new java.util.TreeMap<>();
        for (String n : names) {
            views.put(n, new VmView(VmSpec.of(n, 1, 256), "h1", VmState.RUNNING, dir.resolve(n).toString(), null));
        }
        return new VmService() {
            @Override
            public List<VmView> vms() {
                return List.copyOf(views.values());
            }

            @Override
            public Optional<VmView> findVm(String name) {
                return Optional.ofNullable(views.get(name));
            }

            @Override
            public VmView vm(String name) {
                return findVm(name).orElseThrow(() -> new NotFoundException("VM '" + name + "' does not exist; VMs: " + views.keySet()));
            }

            @Override
            public List<String> loadProblems() {
                return List.of();
            }
        };
    }

    private static void write(Path file, String text, java.nio.file.OpenOption... options) {
        try {
            Files.writeString(file, text, options);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Path console(String vm, String text) throws Exception {
        Files.createDirectories(dir.resolve(vm));
        Path log = dir.resolve(vm).resolve("console.log");
        Files.writeString(log, text);
        return log;
    }

    @Test
    void tailShowsTheLastCompleteLinesOnly() throws Exception {
        Path log = console("a", "one\ntwo\nthree\nfour (still being writ");

        ConsoleLog.Tail tail = new ConsoleLog(log).tail(2);

        assertEquals("two\nthree\n", tail.text());
        assertEquals("one\ntwo\nthree\n".length(), tail.end());
        assertEquals("one\ntwo\nthree\n", new ConsoleLog(log).tail(0).text());
    }

    @Test
    void followWritesWhatTheGuestPrintsUntilInterrupted() throws Exception {
        Path log = console("a", "boot\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int[] polls = {0};

        new ConsoleLog(log).follow(5, out, millis -> {
            polls[0]++;
            if (polls[0] == 1) {
                write(log, "HB t=1\nHB t=", StandardOpenOption.APPEND);
            } else if (polls[0] == 2) {
                write(log, "2\n", StandardOpenOption.APPEND);
            } else if (polls[0] == 3) {
                write(log, "new run\n"); // the VM was started again
            } else {
                throw new InterruptedException();
            }
        });

        assertEquals("HB t=1\nHB t=2\n--- the VM was started again: new console ---\nnew run\n",
                bytes.toString(StandardCharsets.UTF_8));
        assertTrue(Thread.interrupted(), "the interrupt is handed back to the caller");
    }

    @Test
    void theCommandShowsTheConsoleOfANamedVm() throws Exception {
        console("web1", "VIREO-GUEST READY\nHB t=1\nHB t=2\n");
        ConsoleCommands commands = new ConsoleCommands(vms("web1"), () -> System.out, millis -> {
            throw new InterruptedException();
        });

        assertEquals("HB t=1\nHB t=2\n", commands.console(false, "2", "web1"));
        assertEquals("VIREO-GUEST READY\nHB t=1\nHB t=2\n", commands.console(false, "0", "web1"));
    }

    @Test
    void theCommandFollowsOnTheSessionOutput() throws Exception {
        Path log = console("web1", "VIREO-GUEST READY\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        boolean[] once = {false};
        ConsoleCommands commands = new ConsoleCommands(vms("web1"), () -> out, millis -> {
            if (once[0]) {
                throw new InterruptedException();
            }
            once[0] = true;
            write(log, "HB t=1\n", StandardOpenOption.APPEND);
        });

        assertNull(commands.console(true, "50", "web1"));

        assertEquals("VIREO-GUEST READY\nHB t=1\n", bytes.toString(StandardCharsets.UTF_8));
        Thread.interrupted();
    }

    @Test
    void badInputIsNamed() throws Exception {
        Files.createDirectories(dir.resolve("never-started"));
        ConsoleCommands commands = new ConsoleCommands(vms("never-started"), () -> System.out, millis -> { });

        NotFoundException unknown = assertThrows(NotFoundException.class, () -> commands.console(false, "50", "nope"));
        NotFoundException noLog = assertThrows(NotFoundException.class, () -> commands.console(false, "50", "never-started"));
        InvalidSpecException lines = assertThrows(InvalidSpecException.class, () -> commands.console(false, "-3", "never-started"));

        assertTrue(unknown.getMessage().contains("nope"), unknown.getMessage());
        assertTrue(noLog.getMessage().contains("only VMs started by the qemu hypervisor"), noLog.getMessage());
        assertEquals("lines", lines.field());
    }
}
