package org.vireo.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vireo.api.model.InvalidSpecException;

class WordsTest {
    @Test
    void collectsLaterOccurrencesOfRepeatableOptions() {
        Words w = Words.parse(new String[] {"--disk", "20G", "vm1", "--nic", "lan", "--disk", "30G"}, "usage", "--disk", "--nic");
        assertEquals(List.of("vm1"), w.positional());
        assertEquals(List.of("20G", "30G"), w.repeated("--disk"));
        assertEquals(List.of("lan"), w.repeated("--nic"));
        assertEquals("vm1", w.single("name", "usage"));
    }

    @Test
    void nothingLeftMeansNoRepeats() {
        Words w = Words.parse(null, "usage", "--disk");
        assertEquals(List.of(), w.repeated("--disk"));
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> w.single("name", "vm:create NAME"));
        assertEquals("name: null is not allowed; expected exactly one name (vm:create NAME)", e.getMessage());
    }

    @Test
    void rejectsUnknownOptionsMissingValuesAndExtraWords() {
        InvalidSpecException unknown = assertThrows(InvalidSpecException.class,
                () -> Words.parse(new String[] {"vm1", "--vpcus", "2"}, "vm:create NAME", "--disk"));
        assertEquals("option: '--vpcus' is not allowed; expected an option of vm:create NAME", unknown.getMessage());
        InvalidSpecException dangling = assertThrows(InvalidSpecException.class,
                () -> Words.parse(new String[] {"vm1", "--disk"}, "usage", "--disk"));
        assertEquals("disk", dangling.field());
        InvalidSpecException two = assertThrows(InvalidSpecException.class,
                () -> Words.parse(new String[] {"vm1", "vm2"}, "usage").single("name", "usage"));
        assertEquals("vm1 vm2", two.value());
    }
}
