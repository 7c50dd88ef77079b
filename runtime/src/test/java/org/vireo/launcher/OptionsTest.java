package org.vireo.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {
    private static final Path HOME = Path.of("/opt/vireo");

    @Test
    void defaultsLiveUnderHomeAndStartThePrompt() {
        Options options = Options.parse(new String[0], HOME);
        assertEquals(Path.of("/opt/vireo/data"), options.data());
        assertEquals(Path.of("/opt/vireo/deploy"), options.deploy());
        assertFalse(options.scripted());
        assertFalse(options.help());
    }

    @Test
    void foldersAreAbsoluteInBothSpellings() {
        Options options = Options.parse(new String[] {"--data", "/tmp/d/../v", "--deploy=/srv/drop"}, HOME);
        assertEquals(Path.of("/tmp/v"), options.data());
        assertEquals(Path.of("/srv/drop"), options.deploy());
        assertTrue(Options.parse(new String[] {"--data", "rel"}, HOME).data().isAbsolute());
    }

    @Test
    void commandsAndScriptsKeepTheirOrder() {
        Options options = Options.parse(new String[] {"-c", "lb", "--script", "a.gosh", "-c", "vm:list", "--script", "-"}, HOME);
        assertTrue(options.scripted());
        assertEquals(List.of(new Options.Source("-c", "lb", null), new Options.Source("a.gosh", null, Path.of("a.gosh")),
                new Options.Source("-c", "vm:list", null), new Options.Source("-", null, null)), options.commands());
    }

    @Test
    void unknownArgumentIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Options.parse(new String[] {"--dta", "x"}, HOME));
        assertEquals("unknown argument '--dta'", e.getMessage());
    }

    @Test
    void missingValueIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Options.parse(new String[] {"--data"}, HOME));
        assertEquals("option --data needs a value", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[] {"-c", ""}, HOME));
    }

    @Test
    void helpIsRecognised() {
        assertTrue(Options.parse(new String[] {"-h"}, HOME).help());
        assertTrue(Options.parse(new String[] {"--help"}, HOME).help());
    }
}
