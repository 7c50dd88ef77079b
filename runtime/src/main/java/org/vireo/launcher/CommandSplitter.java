package org.vireo.launcher;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits script text into Gogo commands at top-level {@code ;} and line ends. Quotes, escapes
 * and brackets ({@code {} [] ()}) protect what they enclose, so closures and multi-line
 * commands stay whole. Blank commands and {@code #} comments (at the start of a word, as Gogo
 * reads them) are dropped.
 */
final class CommandSplitter {
    private CommandSplitter() {
    }

    /**
     * @param text the script
     * @return the commands, trimmed, in order
     * @throws IllegalArgumentException for an unclosed quote or bracket, naming its line
     */
    static List<String> split(String text) {
        List<String> commands = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        char quote = 0;
        int line = 1;
        int openedAt = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
            }
            if (quote != 0) {
                current.append(c);
                if (c == '\\' && quote == '"' && i + 1 < text.length()) {
                    current.append(text.charAt(++i));
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            switch (c) {
                case '\\' -> {
                    current.append(c);
                    if (i + 1 < text.length()) {
                        char next = text.charAt(++i);
                        line += next == '\n' ? 1 : 0;
                        current.append(next);
                    }
                }
                case '\'', '"' -> {
                    quote = c;
                    openedAt = line;
                    current.append(c);
                }
                case '{', '[', '(' -> {
                    if (depth++ == 0) {
                        openedAt = line;
                    }
                    current.append(c);
                }
                case '}', ']', ')' -> {
                    depth = Math.max(0, depth - 1);
                    current.append(c);
                }
                case '#' -> {
                    if (current.isEmpty() || Character.isWhitespace(current.charAt(current.length() - 1))) {
                        while (i + 1 < text.length() && text.charAt(i + 1) != '\n') {
                            i++;
                        }
                    } else {
                        current.append(c);
                    }
                }
                case ';', '\n' -> {
                    if (depth == 0) {
                        add(commands, current);
                    } else {
                        current.append(c);
                    }
                }
                default -> current.append(c);
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("line " + openedAt + ": quote " + quote + " is never closed");
        }
        if (depth > 0) {
            throw new IllegalArgumentException("line " + openedAt + ": bracket is never closed");
        }
        add(commands, current);
        return commands;
    }

    private static void add(List<String> commands, StringBuilder current) {
        String command = current.toString().strip();
        if (!command.isEmpty()) {
            commands.add(command);
        }
        current.setLength(0);
    }
}
