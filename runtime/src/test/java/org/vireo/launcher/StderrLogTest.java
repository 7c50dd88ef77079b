package org.vireo.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StderrLogTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void printsWarningsAndErrorsNamingTheSource() {
        StderrLog.print(err, LogLevel.WARN, 2, "org.vireo.core", "could not get service", null);
        StderrLog.print(err, LogLevel.WARN, 1, "framework", "bundle failed", new IllegalStateException("boom"));
        assertEquals("warning: org.vireo.core: could not get service\n"
                + "error: framework: bundle failed: java.lang.IllegalStateException: boom\n", text());
    }

    @Test
    void dropsWhatIsMoreDetailedThanTheLevel() {
        StderrLog.print(err, LogLevel.WARN, 3, "org.vireo.core", "info", null);
        StderrLog.print(err, LogLevel.ERROR, 2, "org.vireo.core", "warning", null);
        assertEquals("", text());
        StderrLog.print(err, LogLevel.INFO, 3, "org.vireo.core", "shown", null);
        assertEquals("info: org.vireo.core: shown\n", text());
    }

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }
}
