/**
 * The normalised document every reader works on, whatever the input format was
 * (HTML, text; later DOCX via HTML, PDF and XLSX via rebuilt lines and grids).
 */

/** A table as a true grid: rowspan/colspan expanded, each spanned position repeating its cell's text. */
export interface TableGrid {
  /** Normalised cell texts (normaliseText applied, whitespace collapsed, trimmed). */
  rows: string[][];
  /** For each grid position, true where the cell is the origin of its span (not a repeat). */
  origin: boolean[][];
  /** Index of the table in the document, for provenance (`table 3, row 5, col 2`). */
  index: number;
  /** Character offset in `Document.text` where the table's first row line starts. */
  offset: number;
}

export interface Document {
  /** File name as given by the caller (for messages and provenance). */
  file: string;
  /** How the input was read. */
  format: "html" | "text" | "docx" | "pdf" | "xlsx";
  /**
   * The whole visible text, normalised (simplified, ASCII widths, \n line ends). For HTML, each
   * table row is one line with its cells joined by " | ", so text readers see tables as text too.
   */
  text: string;
  /** Real tables (HTML, DOCX, XLSX; PDF where columns could be rebuilt). Empty for plain text. */
  tables: TableGrid[];
}
