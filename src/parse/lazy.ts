import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/**
 * A library loaded at its first use, synchronously (its CommonJS build), for what only some inputs
 * need: parse5 for the pages htmlparser2 declines, the charset detector and the GBK decoder for
 * files that are not UTF-8, OpenCC for traditional text, fflate for zip-based files, the CSV writer
 * for CSV output. Each worker and each CLI start loads the parser; loaded up front, these added a
 * tenth of a second to every one of them.
 */
export function lazy<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}
