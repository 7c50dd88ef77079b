package org.vireo.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vireo.api.model.InvalidSpecException;

class ArgsTest {
    @Test
    void integersKeepTheirSignForTheModelToJudge() {
        assertEquals(-2, Args.integer("vcpus", "-2"));
        assertEquals(8, Args.integer("vcpus", " 8 "));
    }

    @Test
    void aNonIntegerNamesFieldAndValue() {
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> Args.integer("cpu.shares", "many"));
        assertEquals("cpu.shares: 'many' is not allowed; expected an integer", e.getMessage());
        InvalidSpecException big = assertThrows(InvalidSpecException.class, () -> Args.integer("vcpus", "99999999999"));
        assertEquals("99999999999", big.value());
    }

    @Test
    void aMissingRequiredOptionSaysWhichOption() {
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> Args.requiredInteger("vcpus", "--vcpus N", ""));
        assertEquals("vcpus: null is not allowed; expected a value given with --vcpus N (the option is required)", e.getMessage());
        assertEquals("4G", Args.required("memoryMiB", "--mem SIZE", " 4G "));
    }

    @Test
    void limitIsAFrequencyOrUnlimited() {
        assertNull(Args.limitMhz("cpu.limitMhz", "unlimited"));
        assertNull(Args.limitMhz("cpu.limitMhz", "UNLIMITED"));
        assertEquals(2500L, Args.limitMhz("cpu.limitMhz", "2.5GHz"));
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> Args.limitMhz("cpu.limitMhz", "fast"));
        assertEquals("cpu.limitMhz", e.field());
    }

    @Test
    void repeatableValuesSplitAtSemicolons() {
        assertEquals(List.of("10G", "name=d,size=2G", "30G"), Args.parts(Arrays.asList("10G; name=d,size=2G", "", null, "30G;")));
        assertTrue(Args.parts(List.of("")).isEmpty());
        assertFalse(Args.given(" "));
    }
}
