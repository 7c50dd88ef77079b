package org.vireo.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * A detail page for people ({@code vm:info}, {@code host:info}): a title line, then sections of
 * {@code key  value} lines whose values line up across the whole page, and embedded tables.
 */
final class TextBlock {
    private static final String INDENT = "  ";

    private sealed interface Item permits Heading, Field, Note, Table {
    }

    private record Note(String text) implements Item {
    }

    private record Heading(String text) implements Item {
    }

    private record Field(String key, String value) implements Item {
    }

    private record Table(TextTable table) implements Item {
    }

    private final String title;
    private final List<Item> items = new ArrayList<>();

    /** @param title the first line */
    TextBlock(String title) {
        this.title = title;
    }

    /**
     * Starts a section.
     *
     * @param heading its title
     * @return this block
     */
    TextBlock section(String heading) {
        items.add(new Heading(heading));
        return this;
    }

    /**
     * @param key what the value is
     * @param value the value; rendered as a {@link TextTable} cell
     * @return this block
     */
    TextBlock field(String key, Object value) {
        items.add(new Field(key, TextTable.cell(value)));
        return this;
    }

    /**
     * @param text a line of its own inside the current section, e.g. {@code none}
     * @return this block
     */
    TextBlock note(String text) {
        items.add(new Note(text));
        return this;
    }

    /**
     * @param table a table shown inside the current section
     * @return this block
     */
    TextBlock table(TextTable table) {
        items.add(new Table(table));
        return this;
    }

    /** @return the page, lines separated by {@code \n}, no final newline */
    String render() {
        int keyWidth = 0;
        for (Item item : items) {
            if (item instanceof Field f) {
                keyWidth = Math.max(keyWidth, f.key().length());
            }
        }
        StringBuilder sb = new StringBuilder(title);
        for (Item item : items) {
            if (item instanceof Heading h) {
                sb.append('\n').append(h.text()).append(':');
            } else if (item instanceof Field f) {
                sb.append('\n').append(INDENT).append(f.key()).append(" ".repeat(keyWidth - f.key().length()))
                        .append(INDENT).append(f.value());
            } else if (item instanceof Note n) {
                sb.append('\n').append(INDENT).append(n.text());
            } else if (item instanceof Table t) {
                for (String line : t.table().render().split("\n")) {
                    sb.append('\n').append(INDENT).append(line);
                }
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return render();
    }
}
