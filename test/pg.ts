/**
 * PostgreSQL for tests, shared by every test file that needs a real server.
 *
 *   const pg = await testPostgres("store");   // undefined when no PostgreSQL is available (message printed)
 *   ... use pg.url ...
 *   await pg.drop();                          // drops the database (and stops a throw-away cluster)
 *
 * Order: env GONGKAI_TEST_PG (CI's .ci/run starts a server and sets it) → a fresh, uniquely named
 * database on that server; else PostgreSQL binaries (/usr/lib/postgresql/<v>/bin/initdb) → a
 * throw-away cluster in a temp dir on a free port, run as the `postgres` user (initdb refuses
 * root); else skip, saying so on stderr. `engines()` gives the list to loop a suite over.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

export interface TestPostgres {
  /** Connection string of a fresh, empty database. */
  url: string;
  drop(): Promise<void>;
}

let cluster: Promise<{ base: string; stop: () => void } | undefined> | undefined;
let warned = false;

function dbName(label: string): string {
  const safe = label.toLowerCase().replace(/[^a-z0-9]+/g, "_").slice(0, 30);
  return `gk_${safe}_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function adminQuery(url: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try { await c.query(text); } finally { await c.end(); }
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

function findBin(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0], "bin") : undefined;
}

async function startCluster(): Promise<{ base: string; stop: () => void } | undefined> {
  const bin = findBin();
  if (!bin) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "gongkai-pg-"));
  chmodSync(dir, 0o777);
  const data = join(dir, "data");
  // initdb refuses root: run the cluster as the postgres user (spawned directly, so signals reach it).
  const ids = process.getuid?.() === 0
    ? { uid: Number(execFileSync("id", ["-u", "postgres"]).toString().trim()), gid: Number(execFileSync("id", ["-g", "postgres"]).toString().trim()) }
    : {};
  const run = (cmd: string, args: string[]) => { execFileSync(cmd, args, { stdio: "pipe", ...ids }); };
  run(join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]);
  const port = await freePort();
  const [exe, ...rest] = [join(bin, "postgres"), "-D", data, "-p", String(port), "-k", dir, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"];
  const child: ChildProcess = spawn(exe, rest, { stdio: "ignore", detached: false, ...ids });
  // The cluster must not keep the test process alive; it is stopped when that process exits.
  child.unref();
  const base = `postgres://postgres@127.0.0.1:${port}/postgres`;
  for (let i = 0; i < 100; i++) {
    try { await adminQuery(base, "select 1"); break; } catch { await new Promise((r) => setTimeout(r, 100)); }
    if (i === 99) { child.kill("SIGKILL"); return undefined; }
  }
  const stop = () => {
    // Synchronous (this runs in the "exit" handler): stop the server, then remove its files.
    try { run(join(bin, "pg_ctl"), ["stop", "-D", data, "-m", "immediate", "-w"]); } catch { child.kill("SIGKILL"); }
    try { rmSync(dir, { recursive: true, force: true }); } catch { /* best effort */ }
  };
  process.once("exit", stop);
  return { base, stop };
}

/** A fresh database for one test file, or undefined (with a visible message) when PostgreSQL is not available. */
export async function testPostgres(label = "test"): Promise<TestPostgres | undefined> {
  let base = process.env.GONGKAI_TEST_PG;
  if (!base) {
    cluster ??= startCluster().catch((e) => {
      process.stderr.write(`test/pg: could not start a throw-away PostgreSQL cluster: ${e instanceof Error ? e.message : e}\n`);
      return undefined;
    });
    base = (await cluster)?.base;
  }
  if (!base) {
    if (!warned) process.stderr.write("test/pg: PostgreSQL 不可用，跳过 PostgreSQL 测试 (no GONGKAI_TEST_PG and no PostgreSQL binaries: skipping the PostgreSQL variant)\n");
    warned = true;
    return undefined;
  }
  const name = dbName(label);
  await adminQuery(base, `create database "${name}"`);
  const admin = base;
  return {
    url: withDatabase(base, name),
    drop: async () => {
      await adminQuery(admin, `drop database if exists "${name}" with (force)`);
    },
  };
}

export interface TestEngine {
  name: "sqlite" | "postgres";
  /** A fresh database URL (SQLite file in a temp dir, or a new PostgreSQL database). */
  fresh(): Promise<string>;
  /** Removes everything fresh() made. */
  cleanup(): Promise<void>;
}

/** The engines to run a suite over: SQLite always, PostgreSQL when available. */
export async function engines(label = "test"): Promise<TestEngine[]> {
  const dirs: string[] = [];
  const sqlite: TestEngine = {
    name: "sqlite",
    fresh: async () => {
      const d = mkdtempSync(join(tmpdir(), "gongkai-sqlite-"));
      dirs.push(d);
      return join(d, "gongkai.db");
    },
    cleanup: async () => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); },
  };
  const out: TestEngine[] = [sqlite];
  const probe = await testPostgres(label);
  if (probe) {
    const made: TestPostgres[] = [probe];
    let first = true;
    out.push({
      name: "postgres",
      fresh: async () => {
        if (first) { first = false; return probe.url; }
        const p = await testPostgres(label);
        if (!p) throw new Error("PostgreSQL went away");
        made.push(p);
        return p.url;
      },
      cleanup: async () => { for (const p of made) await p.drop().catch(() => {}); },
    });
  }
  return out;
}
