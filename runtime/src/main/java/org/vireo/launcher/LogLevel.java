package org.vireo.launcher;

import java.util.Arrays;
import java.util.Locale;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * One log level for everything that logs in the runtime: the framework, SCR, ConfigAdmin and
 * FileInstall (each with its own property) and the bundles that use {@code java.util.logging}.
 * Chosen with the system property {@code vireo.log.level}; {@code warn} by default, so that the
 * prompt stays clean.
 */
enum LogLevel {
    ERROR("1", "error", Level.SEVERE),
    WARN("2", "warn", Level.WARNING),
    INFO("3", "info", Level.INFO),
    DEBUG("4", "debug", Level.FINE);

    private final String felix;
    private final String scr;
    private final Level java;

    LogLevel(String felix, String scr, Level java) {
        this.felix = felix;
        this.scr = scr;
        this.java = java;
    }

    /**
     * @param text error, warn, info or debug, any case
     * @return the level
     * @throws IllegalArgumentException naming the levels
     */
    static LogLevel parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("vireo.log.level '" + text + "' is not one of "
                    + Arrays.stream(values()).map(l -> l.scr).collect(Collectors.joining(", ")), e);
        }
    }

    /** @return the level as the Felix framework, ConfigAdmin and FileInstall read it */
    String felix() {
        return felix;
    }

    /** @return the level as SCR reads it ({@code ds.loglevel}) */
    String scr() {
        return scr;
    }

    /** Sets the level of the root {@code java.util.logging} logger and its handlers. */
    void applyToJavaLogging() {
        Logger root = Logger.getLogger("");
        root.setLevel(java);
        for (Handler handler : root.getHandlers()) {
            handler.setLevel(java);
        }
    }
}
