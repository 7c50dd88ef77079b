package org.vireo.shell;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.vireo.api.inventory.VireoEvent;

/**
 * How events are shown. Times are UTC, to the millisecond.
 * <p>
 * JSON contract: an event is an object with {@code sequence}, {@code time} (ISO-8601),
 * {@code category} ({@code VM}, {@code HOST}, {@code POLICY} or {@code SYSTEM}),
 * {@code subject}, {@code type} and {@code message}. {@code events --json} is an array of them;
 * {@code events --follow --json} writes one per line.
 */
final class EventFormat {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final String LINE = "%6d  %s  %-6s  %-16s  %-12s  %s";

    private EventFormat() {
    }

    /**
     * @param e an event
     * @return its JSON object
     */
    static ObjectNode json(VireoEvent e) {
        ObjectNode o = Json.object();
        o.put("sequence", e.sequence());
        o.put("time", e.time() == null ? null : e.time().toString());
        o.put("category", e.category() == null ? null : e.category().name());
        o.put("subject", e.subject());
        o.put("type", e.type());
        o.put("message", e.message());
        return o;
    }

    /**
     * @param events events
     * @return the {@code events --json} document
     */
    static String json(List<VireoEvent> events) {
        ArrayNode a = Json.array();
        events.forEach(e -> a.add(json(e)));
        return Json.pretty(a);
    }

    /**
     * @param events events
     * @return the {@code events} table
     */
    static String table(List<VireoEvent> events) {
        if (events.isEmpty()) {
            return "no events";
        }
        TextTable t = new TextTable("SEQ", "TIME", "CATEGORY", "SUBJECT", "TYPE", "MESSAGE");
        events.forEach(e -> t.row(e.sequence(), time(e), e.category(), e.subject(), e.type(), e.message()));
        return t.render();
    }

    /**
     * One event on one line with fixed column widths, for {@code events --follow}, where a
     * table cannot be aligned in advance.
     *
     * @param e an event
     * @return the line, without trailing spaces
     */
    static String line(VireoEvent e) {
        return String.format(Locale.ROOT, LINE, e.sequence(), time(e), TextTable.cell(e.category()), TextTable.cell(e.subject()),
                TextTable.cell(e.type()), TextTable.cell(e.message())).stripTrailing();
    }

    private static String time(VireoEvent e) {
        return e.time() == null ? "-" : TIME.format(e.time());
    }
}
