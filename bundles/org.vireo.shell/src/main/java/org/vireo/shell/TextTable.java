package org.vireo.shell;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A table for people: a header line and rows, columns separated by two spaces. A column whose
 * cells are numbers (or missing) is right-aligned, as is a column named in {@link #alignRight} (for
 * formatted quantities such as {@code 16G}). A missing cell ({@code null}) shows as {@code -}.
 */
final class TextTable {
    private static final String GAP = "  ";

    private final List<String> headers;
    private final List<Object[]> rows = new ArrayList<>();
    private final Set<Integer> right = new HashSet<>();

    /** @param headers the column titles */
    TextTable(String... headers) {
        if (headers.length == 0) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        this.headers = List.of(headers);
    }

    /**
     * @param columns column titles whose cells are to be right-aligned whatever their type
     * @return this table
     */
    TextTable alignRight(String... columns) {
        for (String c : columns) {
            int i = headers.indexOf(c);
            if (i < 0) {
                throw new IllegalArgumentException("no column " + c + " among " + headers);
            }
            right.add(i);
        }
        return this;
    }

    /**
     * @param cells one value per column: numbers, text or {@code null}
     * @return this table
     */
    TextTable row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("row " + Arrays.toString(cells) + " has " + cells.length
                    + " cells for " + headers.size() + " columns");
        }
        rows.add(cells.clone());
        return this;
    }

    /** @return whether the table has no rows */
    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** @return the number of rows */
    int size() {
        return rows.size();
    }

    /** @return the rendered table: no trailing spaces, lines separated by {@code \n}, no final newline */
    String render() {
        int n = headers.size();
        String[][] text = new String[rows.size()][n];
        int[] width = new int[n];
        boolean[] alignRight = new boolean[n];
        for (int c = 0; c < n; c++) {
            width[c] = headers.get(c).length();
            boolean anyNumber = false;
            boolean onlyNumbers = true;
            for (int r = 0; r < rows.size(); r++) {
                Object cell = rows.get(r)[c];
                text[r][c] = cell(cell);
                width[c] = Math.max(width[c], text[r][c].length());
                anyNumber |= cell instanceof Number;
                onlyNumbers &= cell == null || cell instanceof Number;
            }
            alignRight[c] = (anyNumber && onlyNumbers) || right.contains(c);
        }
        StringBuilder sb = new StringBuilder();
        line(sb, headers.toArray(new String[0]), width, alignRight);
        for (String[] r : text) {
            sb.append('\n');
            line(sb, r, width, alignRight);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return render();
    }

    private static void line(StringBuilder sb, String[] cells, int[] width, boolean[] alignRight) {
        int start = sb.length();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                sb.append(GAP);
            }
            String pad = " ".repeat(width[c] - cells[c].length());
            if (alignRight[c]) {
                sb.append(pad).append(cells[c]);
            } else {
                sb.append(cells[c]).append(pad);
            }
        }
        int end = sb.length();
        while (end > start && sb.charAt(end - 1) == ' ') {
            end--;
        }
        sb.setLength(end);
    }

    /**
     * @param value a cell
     * @return its text: {@code -} for {@code null}, whole numbers without decimals, other
     *         fractional numbers with one decimal
     */
    static String cell(Object value) {
        if (value == null) {
            return "-";
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return String.valueOf(d);
            }
            double rounded = Math.round(d * 10) / 10.0;
            return rounded == Math.rint(rounded) ? String.valueOf((long) rounded)
                    : String.format(Locale.ROOT, "%.1f", rounded);
        }
        String s = String.valueOf(value);
        return s.isEmpty() ? "-" : s;
    }
}
