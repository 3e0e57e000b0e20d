import type { Kysely, KyselyConfig, Migration } from "kysely";
import { connect, migrate, parseTarget, type Engine } from "./engine.js";
import { storeInit } from "./migrations/0001_store_init.js";
import { valuesByField } from "./migrations/0002_values_by_field.js";
import type { StoreDB } from "./schema.js";

/** The store's own migrations. Names 0001–0099 belong to the store; other capabilities use 0100 and up. */
export const STORE_MIGRATIONS: Readonly<Record<string, Migration>> = {
  "0001_store_init": storeInit,
  "0002_values_by_field": valuesByField,
};

export const DEFAULT_DB = "gongkai.db";

export interface OpenOptions {
  /** Extra migrations contributed by another capability (e.g. requests), named `0100_…` and up. */
  migrations?: Record<string, Migration>;
  /** Open for reading only (SQLite): nothing can be written, and pending migrations are an error. */
  readonly?: boolean;
  /** kysely's query log hook (debugging, benches). */
  log?: KyselyConfig["log"];
}

export interface Store {
  /** The typed query layer. Other capabilities type their own tables with `store.as<MyTables>()`. */
  readonly db: Kysely<StoreDB>;
  readonly engine: Engine;
  /** Where the database is, for messages (password hidden). */
  readonly display: string;
  readonly readonly: boolean;
  /** The same connection, typed with extra tables (the store's tables stay visible). */
  as<T>(): Kysely<StoreDB & T>;
  close(): Promise<void>;
}

/** The database URL to use: an explicit `--db`, else env `GONGKAI_DB`, else `gongkai.db` in the working directory. */
export function resolveDbUrl(explicit?: string): string {
  return explicit || process.env.GONGKAI_DB || DEFAULT_DB;
}

/**
 * Opens (creating if needed) a SQLite file or a PostgreSQL database and brings its schema up to date.
 * Throws StoreError (codes DB_CORRUPT, DB_READONLY, DB_LOCKED, DB_CONNECT, …) with a one-line message.
 */
export async function openStore(url: string = resolveDbUrl(), opts: OpenOptions = {}): Promise<Store> {
  const target = parseTarget(url);
  const conn = await connect(target, { readonly: opts.readonly, log: opts.log });
  try {
    await migrate(conn, { ...STORE_MIGRATIONS, ...(opts.migrations ?? {}) }, target.display);
  } catch (e) {
    await conn.db.destroy().catch(() => {});
    throw e;
  }
  const db = conn.db as Kysely<StoreDB>;
  return {
    db,
    engine: conn.engine,
    display: target.display,
    readonly: conn.readonly,
    as: <T>() => db as unknown as Kysely<StoreDB & T>,
    close: () => db.destroy(),
  };
}
