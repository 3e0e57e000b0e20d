import { StoreError, toStoreError } from "./errors.js";
import { parseTarget } from "./engine.js";
import { openStore, resolveDbUrl, type OpenOptions, type Store } from "./store.js";

/** The `--db` option every store command shares. */
export const DB_OPTION = ["--db <url>", "数据库：SQLite 文件或 postgres:// 地址，默认环境变量 GONGKAI_DB 或 gongkai.db (database: SQLite file or postgres:// URL)"] as const;

/**
 * Opens the store, runs a command body, closes the store. A StoreError or an input problem becomes
 * one line on stderr and exit code 2 (never a stack trace); the body returns its own exit code.
 */
export async function withStore(db: string | undefined, setCode: (c: number) => void, body: (store: Store) => Promise<number | void>, opts: OpenOptions = {}): Promise<void> {
  let store: Store | undefined;
  try {
    store = await openStore(resolveDbUrl(db), opts);
    const code = await body(store);
    setCode(code ?? 0);
  } catch (raw) {
    let where = db ?? "";
    try { where = parseTarget(resolveDbUrl(db)).display; } catch { /* keep what was given */ }
    const e = toStoreError(raw, where);
    if (e instanceof StoreError || (e as { code?: string })?.code) {
      process.stderr.write(`gongkai: ${(e as Error).message.split("\n")[0]}\n`);
      setCode(2);
    } else throw e;
  } finally {
    await store?.close().catch(() => {});
  }
}
