package io.fluxrig.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A text table of a bench report: a header per column, rows of cells, each column as wide as its
 * widest cell, the first column aligned left and the others right (numbers) unless named in
 * {@link #left}. Cells are text the caller formats ({@link #f}); the table only lays them out. One
 * per table, one thread.
 */
final class ReportTable {
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;
    private final boolean[] left;

    /** @param headers the column headers; their number is the number of cells of every row */
    ReportTable(String... headers) {
        this.columns = headers.length;
        this.left = new boolean[columns];
        left[0] = true;
        rows.add(headers.clone());
    }

    /** @param columns further columns (0-based) to align left, for text @return this table */
    ReportTable left(int... columns) {
        for (int c : columns) {
            left[c] = true;
        }
        return this;
    }

    /**
     * @param cells one per column
     * @return this table
     * @throws IllegalArgumentException when the number of cells is not the number of columns
     */
    ReportTable row(String... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException(cells.length + " cells for " + columns + " columns");
        }
        rows.add(cells.clone());
        return this;
    }

    /** Prints the header and the rows, one line each. */
    void print(PrintStream out) {
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                String pad = " ".repeat(width[i] - r[i].length());
                line.append(i == 0 ? "" : "  ").append(left[i] ? r[i] + pad : pad + r[i]);
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** @return {@code String.format} in the root locale; {@code "n/a"} when a number argument is NaN */
    static String f(String format, Object... args) {
        for (Object a : args) {
            if (a instanceof Double d && d.isNaN()) {
                return "n/a";
            }
        }
        return String.format(Locale.ROOT, format, args);
    }
}
