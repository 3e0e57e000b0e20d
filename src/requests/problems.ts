/** An error or warning as a value: a code, a Chinese message first and its English twin. */
export interface Problem {
  code: string;
  message: string;
  message_en: string;
  /** Where: a row number of an imported file, a field, an event. */
  where?: string;
}

export type Result<T> = { ok: true; value: T; warnings: Problem[] } | { ok: false; errors: Problem[]; warnings: Problem[] };

export function problem(code: string, message: string, message_en: string, where?: string): Problem {
  return where === undefined ? { code, message, message_en } : { code, message, message_en, where };
}

export function ok<T>(value: T, warnings: Problem[] = []): Result<T> {
  return { ok: true, value, warnings };
}

export function fail<T>(errors: Problem[], warnings: Problem[] = []): Result<T> {
  return { ok: false, errors, warnings };
}

/** `文件为空 (empty file)` — the one-line form used by the CLI. */
export function formatProblem(p: Problem): string {
  return `${p.where ? `${p.where}: ` : ""}${p.message} (${p.message_en})`;
}

/** Thrown only at the edges (store, CLI) when a Result failed and the caller wants an exception. */
export class RequestsError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join("; "));
    this.name = "RequestsError";
  }
}
