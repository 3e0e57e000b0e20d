import type { ParsedReport } from "../model/index.js";
import { validate } from "../validate/index.js";
import { readReport } from "./source.js";

/** What became of one input file: its report, or the reason it could not be read. */
export type Outcome =
  | { file: string; ok: true; report: ParsedReport }
  | { file: string; ok: false; error: { code: string; message: string } };

/** A failure's message, beginning with its file (the readers' own messages mostly do already). */
export function failureText(o: Extract<Outcome, { ok: false }>): string {
  return o.error.message.startsWith(o.file) ? o.error.message : `${o.file}: ${o.error.message}`;
}

/**
 * Reads, parses and checks one file; never throws (a bad file is an outcome, not an exception).
 * A file is read synchronously: it runs on a worker thread, where nothing else waits for it. An
 * http(s) address is downloaded, a page that only links its report through it (see source.ts).
 */
export async function parseFile(file: string, check = true): Promise<Outcome> {
  try {
    const report = await readReport(file);
    // Same as `gongkai parse`: the report carries its own check results (unless the caller checks
    // it itself: the store validates against the year before).
    if (check) report.issues = [...report.issues, ...validate(report)];
    return { file, ok: true, report };
  } catch (e) {
    const code = e && typeof e === "object" && "code" in e && typeof e.code === "string" ? e.code : "INTERNAL";
    const message = e instanceof Error ? e.message : String(e);
    return { file, ok: false, error: { code, message: code === "INTERNAL" ? `${file}: 解析出错 (internal error: ${message})` : message } };
  }
}
