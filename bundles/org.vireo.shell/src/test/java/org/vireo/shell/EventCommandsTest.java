package org.vireo.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vireo.api.inventory.EventCategory;
import org.vireo.api.model.InvalidSpecException;

class EventCommandsTest {
    private final FakeEvents events = new FakeEvents();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private int sleeps;
    private final EventCommands commands = new EventCommands(events,
            () -> new PrintStream(bytes, true, StandardCharsets.UTF_8), millis -> {
                if (++sleeps == 1) {
                    events.post(EventCategory.POLICY, "cpu", "swapped", "cpu: credit replaces reservation");
                } else {
                    throw new InterruptedException();
                }
            });

    EventCommandsTest() {
        events.post(EventCategory.HOST, "h1", "added", "h1 added");
        events.post(EventCategory.VM, "vm1", "started", "vm1 started");
        events.post(EventCategory.VM, "vm1", "crashed", "vm1 crashed");
    }

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void theLogAsATableOrJson() throws Exception {
        String table = commands.events(false, false, "");
        assertEquals(4, table.split("\n").length);
        assertTrue(table.split("\n")[3].endsWith("VM        vm1      crashed  vm1 crashed"), table);
        JsonNode last = new ObjectMapper().readTree(commands.events(false, true, "2"));
        assertEquals(2, last.size());
        assertEquals(2, last.get(0).get("sequence").asLong());
        assertEquals(0, sleeps);
        assertEquals(0, bytes.size());
    }

    @Test
    void lastMustBePositive() {
        InvalidSpecException zero = assertThrows(InvalidSpecException.class, () -> commands.events(false, false, "0"));
        assertEquals("last: 0 is not allowed; expected an integer from 1 to 2147483647", zero.getMessage());
        InvalidSpecException word = assertThrows(InvalidSpecException.class, () -> commands.events(false, false, "ten"));
        assertEquals("last", word.field());
    }

    @Test
    void followPrintsTheTailThenNewEventsUntilInterrupted() {
        assertNull(commands.events(true, false, "1"));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("     3  "), lines.get(0));
        assertTrue(lines.get(0).endsWith("vm1 crashed"));
        assertTrue(lines.get(1).startsWith("     4  "), lines.get(1));
        assertTrue(lines.get(1).endsWith("cpu: credit replaces reservation"));
        assertTrue(Thread.currentThread().isInterrupted());
    }

    @Test
    void followWithJsonWritesOneObjectPerLine() throws Exception {
        assertNull(commands.events(true, true, ""));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(4, lines.size());
        for (int i = 0; i < lines.size(); i++) {
            assertEquals(i + 1, new ObjectMapper().readTree(lines.get(i)).get("sequence").asLong());
        }
        assertEquals("POLICY", new ObjectMapper().readTree(lines.get(3)).get("category").asText());
    }
}
