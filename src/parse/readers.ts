import type { Extraction, FieldId, Generation } from "../model/index.js";
import type { Document } from "./document.js";
import { readPre2019 } from "./pre2019/index.js";
import { mergeProse, readProse, type MergeOptions } from "./prose/index.js";

/**
 * Seam to the readers the pipeline composes: the pre-2019 tables and the prose reader with its
 * merge rule (table values win; prose fills what the tables lack and disagreements are reported).
 */

export function pre2019(doc: Document, prose?: Record<FieldId, number>): Extraction | null {
  return readPre2019(doc, prose);
}

export function prose(doc: Document, generation: Generation): { extraction: Extraction; merge: (tables: Extraction, prose: Extraction, opts?: MergeOptions) => Extraction } | null {
  return { extraction: readProse(doc, generation), merge: mergeProse };
}
