import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { Kysely, Migrator, PostgresAdapter, PostgresDialect, SqliteDialect, sql, type KyselyConfig, type Migration, type MigrationProvider } from "kysely";
import { StoreError, toStoreError } from "./errors.js";

export type Engine = "sqlite" | "postgres";

export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export interface Target {
  engine: Engine;
  /** File path for SQLite (or ":memory:"), connection string for PostgreSQL. */
  location: string;
  /** What to name in messages (password hidden). */
  display: string;
}

/** `postgres://…`/`postgresql://…` is PostgreSQL; anything else (`sqlite:PATH`, `file:PATH`, a plain path) a SQLite file. */
export function parseTarget(url: string): Target {
  const u = url.trim();
  if (!u) throw new StoreError("DB_URL", "数据库地址为空 (empty database URL)");
  if (/^postgres(ql)?:\/\//i.test(u)) return { engine: "postgres", location: u, display: u.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@") };
  const path = u.replace(/^sqlite:(\/\/)?/i, "").replace(/^file:(\/\/)?/i, "");
  if (path === ":memory:") return { engine: "sqlite", location: path, display: path };
  return { engine: "sqlite", location: resolve(path), display: path };
}

export interface Connection {
  db: Kysely<any>;
  engine: Engine;
  readonly: boolean;
}

function busyMs(): number {
  const v = Number(process.env.GONGKAI_DB_BUSY_MS);
  return Number.isFinite(v) && v >= 0 ? v : 5000;
}

const nativeSqlite = new WeakMap<Kysely<any>, Database.Database>();

/**
 * The better-sqlite3 handle behind a SQLite store, for the one hot path (bulk value rows) where
 * building each insert through kysely costs more than the insert. Statements run on the same
 * single connection, so they take part in the kysely transaction that is open at the time.
 */
export function sqliteHandle(db: Kysely<any>): Database.Database | undefined {
  return nativeSqlite.get(db);
}

/**
 * kysely prepares every query anew; an import runs the same few statements for each report, and
 * preparing them (the values insert has hundreds of parameters) cost more than running them.
 */
function cachedStatements(raw: Database.Database): Database.Database {
  const cache = new Map<string, Database.Statement>();
  return new Proxy(raw, {
    get(target, prop, receiver) {
      if (prop === "prepare") {
        return (text: string) => {
          let st = cache.get(text);
          if (!st) {
            st = target.prepare(text);
            if (cache.size >= 256) cache.delete(cache.keys().next().value!);
            cache.set(text, st);
          }
          return st;
        };
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

export async function connect(target: Target, opts: { readonly?: boolean; log?: KyselyConfig["log"] } = {}): Promise<Connection> {
  if (target.engine === "sqlite") {
    let readonly = opts.readonly ?? false;
    const exists = target.location !== ":memory:" && existsSync(target.location);
    // A file marked read-only (no write bit) is honoured even for root, who could otherwise write it.
    if (exists && (statSync(target.location).mode & 0o222) === 0) readonly = true;
    if (readonly && !exists) throw new StoreError("DB_OPEN", `数据库文件不存在：${target.display} (database file not found)`);
    let raw: Database.Database;
    try {
      raw = new Database(target.location, { readonly, timeout: busyMs() });
      // Reading the schema is what reveals a file that is not a database (header check).
      raw.prepare("select count(*) from sqlite_master").get();
      if (!readonly) {
        raw.pragma("journal_mode = WAL");
        // With WAL, NORMAL syncs at checkpoints only: a committed report survives a process crash
        // (SIGKILL); a power cut may lose the last commits, never leave one half-stored.
        raw.pragma("synchronous = NORMAL");
        // Checkpoints (two fsyncs each) every ~40 MB of WAL instead of every 4 MB: an import
        // writes ~12 pages per report, and a page rewritten by many reports is copied back once.
        raw.pragma("wal_autocheckpoint = 10000");
      }
      raw.pragma("foreign_keys = ON");
      // 64 MB of page cache (default 2 MB): the hash-keyed indexes (content_hash, fingerprints)
      // take one random page per report, which then stays cached instead of being read back.
      raw.pragma("cache_size = -65536");
    } catch (e) {
      throw toStoreError(e, target.display);
    }
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: cachedStatements(raw) }), log: opts.log });
    nativeSqlite.set(db, raw);
    return { db, engine: "sqlite", readonly };
  }
  const pool = new pg.Pool({
    connectionString: target.location,
    max: 4,
    // counts (bigint) come back as numbers: report and value counts stay far below 2^53.
    types: { getTypeParser: ((oid: number, format?: any) => (oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format))) as any },
  });
  pool.on("error", () => { /* idle client errors surface on the next query */ });
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }), log: opts.log });
  try {
    await sql`select 1`.execute(db);
  } catch (e) {
    await db.destroy().catch(() => {});
    throw toStoreError(e, target.display);
  }
  return { db, engine: "postgres", readonly: false };
}

/**
 * Runs pending migrations. Names sort globally (kysely), so the store owns 0001–0099 and other
 * capabilities use 0100 and up. Migrations executed by a capability this process did not load are
 * kept as no-op placeholders instead of failing as "missing".
 */
export async function migrate(conn: Connection, migrations: Record<string, Migration>, display: string): Promise<string[]> {
  const executed = await executedMigrations(conn.db);
  const pending = Object.keys(migrations).filter((n) => !executed.has(n));
  if (pending.length === 0) return [];
  if (conn.readonly) throw new StoreError("DB_READONLY", `数据库只读，且需要升级结构：${display} (read-only database needs migrations: ${pending.join(", ")})`);
  const all: Record<string, Migration> = {};
  for (const n of executed) all[n] = { up: async () => {} };
  Object.assign(all, migrations);
  const provider: MigrationProvider = { getMigrations: async () => all };
  const migrator = new Migrator({ db: conn.db, provider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const mapped = toStoreError(error, display);
    if (mapped instanceof StoreError) throw mapped;
    throw new StoreError("DB_MIGRATION", `数据库结构升级失败：${display} (migration failed: ${error instanceof Error ? error.message : String(error)})`);
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

async function executedMigrations(db: Kysely<any>): Promise<Set<string>> {
  try {
    const rows = await db.selectFrom("kysely_migration").select("name").execute();
    return new Set(rows.map((r: any) => String(r.name)));
  } catch (e) {
    const mapped = toStoreError(e, "");
    if (mapped instanceof StoreError) throw e;
    return new Set(); // no migration table yet: a fresh database
  }
}
