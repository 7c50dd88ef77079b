package org.vireo.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TextTableTest {
    @Test
    void numbersAlignRightTextAlignsLeftNoTrailingSpaces() {
        String t = new TextTable("NAME", "VCPUS", "NOTE")
                .row("vm1", 2, "x")
                .row("longer-name", 128, null)
                .render();
        assertEquals(String.join("\n",
                "NAME         VCPUS  NOTE",
                "vm1              2  x",
                "longer-name    128  -"), t);
    }

    @Test
    void namedColumnsAlignRightAndFractionsKeepOneDecimal() {
        String t = new TextTable("MEM", "MHZ").alignRight("MEM").row("16G", 1234.56).row("512M", 3.0).render();
        assertEquals(String.join("\n",
                " MEM     MHZ",
                " 16G  1234.6",
                "512M       3"), t);
    }

    @Test
    void aColumnMixingTextAndNumbersStaysLeftAligned() {
        String t = new TextTable("A").row(1).row("x").row(100).render();
        assertEquals("A\n1\nx\n100", t);
    }

    @Test
    void aColumnWithNothingInItStaysLeftAligned() {
        assertEquals("LONG HEADER  N\n-            1", new TextTable("LONG HEADER", "N").row(null, 1).render());
    }

    @Test
    void cellsRenderPlaceholdersAndRoundedNumbers() {
        assertEquals("-", TextTable.cell(null));
        assertEquals("-", TextTable.cell(""));
        assertEquals("0", TextTable.cell(-0.04));
        assertEquals("2.5", TextTable.cell(2.5f));
        assertEquals("42", TextTable.cell(42L));
    }

    @Test
    void rowsMustMatchTheColumns() {
        TextTable t = new TextTable("A", "B");
        assertThrows(IllegalArgumentException.class, () -> t.row("only one"));
        assertThrows(IllegalArgumentException.class, () -> t.alignRight("C"));
        assertEquals("A  B", t.render());
    }

    @Test
    void blocksAlignValuesAcrossSectionsAndIndentTables() {
        String b = new TextBlock("vm1 RUNNING on h1")
                .section("Definition").field("vCPUs", 2).field("memory", "1G")
                .section("Disks").table(new TextTable("NAME", "SIZE").row("disk0", 10))
                .section("Live").field("CPU entitled", null)
                .section("NICs").note("none")
                .render();
        assertEquals(String.join("\n",
                "vm1 RUNNING on h1",
                "Definition:",
                "  vCPUs         2",
                "  memory        1G",
                "Disks:",
                "  NAME   SIZE",
                "  disk0    10",
                "Live:",
                "  CPU entitled  -",
                "NICs:",
                "  none"), b);
    }
}
