import type { Block, LayoutCell } from "./layout.js";

/**
 * The flattened text forms real websites and extractors produce from the statutory tables
 * (spec §7). Each table row is read as its origin cells left to right (what a browser's text
 * copy or a crawler gives); the styles differ only in how cells and rows are joined.
 */

export const TEXT_STYLES = ["pipes", "pipes-dropped-blanks", "one-cell-per-line", "spaces", "run-together"] as const;
export type TextStyle = (typeof TEXT_STYLES)[number];

const cellsOf = (row: LayoutCell[]) => row.map((c) => c.text);

function tableText(rows: LayoutCell[][], style: TextStyle): string {
  switch (style) {
    case "pipes":
      // Empty cells keep their place (`|  |`), as some extractions do (§7 item 5).
      return rows.map((r) => cellsOf(r).join(" | ")).join("\n");
    case "pipes-dropped-blanks":
      // Only the filled cells survive (S1): positions of blanks are lost.
      return rows.map((r) => cellsOf(r).filter((t) => t !== "").join(" | ")).filter((l) => l !== "").join("\n");
    case "one-cell-per-line":
      // S4: each cell on a line of its own, blank lines between.
      return rows.flatMap((r) => cellsOf(r).filter((t) => t !== "")).join("\n\n");
    case "spaces":
      return rows.map((r) => cellsOf(r).filter((t) => t !== "").join(" ")).filter((l) => l !== "").join("\n");
    case "run-together":
      // Every cell of the table glued: digits of a row run into the next row's ordinal (§7 items 1, 2).
      return rows.map((r) => cellsOf(r).join("")).join("");
  }
}

export function blocksToText(blocks: Block[], style: TextStyle): string {
  const parts = blocks.map((b) => (b.kind === "table" ? tableText(b.rows, style) : b.text));
  if (style === "run-together") {
    // Page text copies keep the title on its own line and run the whole body together (F pingtan/2023-87885).
    const [title, ...body] = parts;
    return `${title}\n${body.join("")}\n`;
  }
  return parts.join("\n") + "\n";
}
