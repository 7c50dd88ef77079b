package org.vireo.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandSplitterTest {
    @Test
    void splitsAtSemicolonsAndLineEnds() {
        assertEquals(List.of("host:list", "vm:list --json", "lb"),
                CommandSplitter.split("host:list; vm:list --json\nlb"));
    }

    @Test
    void dropsBlankCommandsAndComments() {
        String script = """
                # a whole-line comment
                host:list   # a trailing comment; not a command

                ;;  vm:list
                   # indented comment
                """;
        assertEquals(List.of("host:list", "vm:list"), CommandSplitter.split(script));
    }

    @Test
    void keepsSeparatorsInsideQuotes() {
        assertEquals(List.of("echo 'a;b'", "echo \"c;d # e\"", "echo \"say \\\"x;y\\\"\""),
                CommandSplitter.split("echo 'a;b'; echo \"c;d # e\"; echo \"say \\\"x;y\\\"\""));
    }

    @Test
    void keepsClosuresAndMultiLineBracketsWhole() {
        String script = "each [1 2] {\n  echo $it; echo done\n}\nlb";
        assertEquals(List.of("each [1 2] {\n  echo $it; echo done\n}", "lb"), CommandSplitter.split(script));
    }

    @Test
    void hashInsideAWordIsNotAComment() {
        assertEquals(List.of("echo a#b ${#x}"), CommandSplitter.split("echo a#b ${#x}"));
    }

    @Test
    void escapedLineEndContinuesTheCommand() {
        assertEquals(List.of("vm:create web1 \\\n --vcpus 2"), CommandSplitter.split("vm:create web1 \\\n --vcpus 2"));
    }

    @Test
    void unclosedQuoteNamesItsLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CommandSplitter.split("lb\necho 'oops\nlb"));
        assertEquals("line 2: quote ' is never closed", e.getMessage());
    }

    @Test
    void unclosedBracketNamesItsLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CommandSplitter.split("lb\n\neach [1] {\n echo $it"));
        assertEquals("line 3: bracket is never closed", e.getMessage());
    }

    @Test
    void emptyInputHasNoCommands() {
        assertEquals(List.of(), CommandSplitter.split(" \n;\n# nothing\n"));
    }
}
