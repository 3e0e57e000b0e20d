import type { Extraction, Generation } from "../model/index.js";
import type { Document } from "./document.js";

/**
 * Seam to the readers other modules provide (pre-2019 tables, prose). Kept in one place so the
 * pipeline does not change when they land: each returns null while its module is absent.
 */

export function pre2019(_doc: Document): Extraction | null {
  return null;
}

export function prose(_doc: Document, _generation: Generation): { extraction: Extraction; merge: (tables: Extraction, prose: Extraction) => Extraction } | null {
  return null;
}
