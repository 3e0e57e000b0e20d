/**
 * Store errors are values with a code, a Chinese message first and English after, so the CLI can
 * print one line and exit 2 without a stack trace.
 */
export type StoreErrorCode =
  | "DB_CORRUPT"
  | "DB_READONLY"
  | "DB_LOCKED"
  | "DB_OPEN"
  | "DB_CONNECT"
  | "DB_URL"
  | "DB_MIGRATION"
  | "NOT_FOUND"
  | "BAD_INPUT";

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  constructor(code: StoreErrorCode, message: string) {
    super(message);
    this.name = "StoreError";
    this.code = code;
  }
}

/** Maps a driver error (better-sqlite3 or pg) to a StoreError naming the database; other errors pass through. */
export function toStoreError(e: unknown, where: string): unknown {
  if (e instanceof StoreError) return e;
  const err = e as { code?: string; message?: string };
  const code = String(err?.code ?? "");
  const msg = String(err?.message ?? e);
  if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT" || /file is not a database|malformed/i.test(msg))
    return new StoreError("DB_CORRUPT", `数据库文件已损坏或不是 SQLite 数据库：${where} (corrupt database file, not changed: ${msg})`);
  if (code.startsWith("SQLITE_READONLY") || /readonly database/i.test(msg))
    return new StoreError("DB_READONLY", `数据库文件只读，无法写入：${where} (read-only database, nothing written)`);
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED") || /database is locked/i.test(msg))
    return new StoreError("DB_LOCKED", `数据库被其他进程锁定：${where} (database is locked by another process; nothing written, try again)`);
  if (code === "SQLITE_CANTOPEN" || /Cannot open database|unable to open database/i.test(msg))
    return new StoreError("DB_OPEN", `无法打开数据库文件：${where} (cannot open database file: ${msg})`);
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "28P01" || code === "3D000" || code === "28000")
    return new StoreError("DB_CONNECT", `无法连接数据库：${where} (cannot connect: ${msg})`);
  if (code === "25006")
    return new StoreError("DB_READONLY", `数据库只读，无法写入：${where} (read-only database: ${msg})`);
  return e;
}
