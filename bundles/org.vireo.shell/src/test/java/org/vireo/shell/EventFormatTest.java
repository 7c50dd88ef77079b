package org.vireo.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.vireo.api.inventory.VireoEvent;

class EventFormatTest {
    private final VireoEvent started = Samples.event(7, "vm1", "started");

    @Test
    void jsonFieldsAreTheContract() throws Exception {
        JsonNode a = new ObjectMapper().readTree(EventFormat.json(List.of(started)));
        JsonNode e = a.get(0);
        Set<String> names = new TreeSet<>();
        e.fieldNames().forEachRemaining(names::add);
        assertEquals(Set.of("sequence", "time", "category", "subject", "type", "message"), names);
        assertEquals(7, e.get("sequence").asLong());
        assertEquals("2025-03-01T10:15:37.123Z", e.get("time").asText());
        assertEquals("VM", e.get("category").asText());
        assertEquals("vm1 started", e.get("message").asText());
    }

    @Test
    void aFollowedJsonEventIsOneLine() {
        assertEquals("{\"sequence\":7,\"time\":\"2025-03-01T10:15:37.123Z\",\"category\":\"VM\",\"subject\":\"vm1\","
                + "\"type\":\"started\",\"message\":\"vm1 started\"}", Json.line(EventFormat.json(started)));
    }

    @Test
    void tableAndFollowLines() {
        assertEquals(String.join("\n",
                "SEQ  TIME                     CATEGORY  SUBJECT  TYPE     MESSAGE",
                "  7  2025-03-01 10:15:37.123  VM        vm1      started  vm1 started"),
                EventFormat.table(List.of(started)));
        assertEquals("     7  2025-03-01 10:15:37.123  VM      vm1               started       vm1 started", EventFormat.line(started));
        assertEquals("no events", EventFormat.table(List.of()));
    }
}
