package org.vireo.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LogLevelTest {
    @Test
    void parsesAnyCaseAndMapsToEachLogger() {
        assertEquals(LogLevel.WARN, LogLevel.parse(" Warn "));
        assertEquals("2", LogLevel.WARN.felix());
        assertEquals("warn", LogLevel.WARN.scr());
        assertEquals("4", LogLevel.parse("debug").felix());
    }

    @Test
    void unknownLevelNamesTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LogLevel.parse("loud"));
        assertEquals("vireo.log.level 'loud' is not one of error, warn, info, debug", e.getMessage());
    }
}
