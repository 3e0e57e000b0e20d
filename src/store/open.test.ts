import { test } from "node:test";
import assert from "node:assert/strict";
import { sql, type Generated, type Migration } from "kysely";
import { engines } from "../../test/pg.js";
import { openStore, isPostgres, importParsed, compare, type Store } from "./index.js";
import { connect, migrate, parseTarget } from "./engine.js";
import { storeInit } from "./migrations/0001_store_init.js";
import type { ParsedReport } from "../model/index.js";

for (const engine of await engines("store_open")) {
  test(`[${engine.name}] opens a fresh database, migrates it once, and accepts a capability's own migrations`, async () => {
    const url = await engine.fresh();
    const s1 = await openStore(url);
    assert.equal(s1.engine, engine.name);
    const tables = ["agencies", "agency_aliases", "originals", "reports", "field_names", "values", "findings", "verdicts"];
    for (const t of tables) assert.deepEqual(await s1.db.selectFrom(t as any).select(sql<number>`count(*)`.as("n")).execute().then((r) => Number(r[0].n)), 0, t);
    await s1.close();

    const extra: Record<string, Migration> = {
      "0100_test_things": {
        async up(db) {
          await db.schema.createTable("things").addColumn("id", isPostgres(db) ? "serial" : "integer", (c) => c.primaryKey())
            .addColumn("agency_id", "integer", (c) => c.references("agencies.id")).execute();
        },
      },
    };
    const s2 = await openStore(url, { migrations: extra });
    await s2.as<{ things: { id: Generated<number>; agency_id: number | null } }>().insertInto("things").values({ agency_id: null }).execute();
    await s2.close();

    // Opened again without the contributed migration: still fine, the table is still there.
    const s3 = await openStore(url);
    const names = (await s3.db.selectFrom("kysely_migration" as any).select("name" as any).execute()).map((r: any) => r.name).sort();
    assert.deepEqual(names, ["0001_store_init", "0002_values_by_field", "0100_test_things"]);
    assert.equal((await s3.as<{ things: { id: number } }>().selectFrom("things").selectAll().execute()).length, 1);
    await s3.close();
  });
  test(`[${engine.name}] a database made before 0002 keeps its reports and gains the values-by-field index on opening`, async () => {
    const url = await engine.fresh();
    const target = parseTarget(url);
    const old = await connect(target);
    assert.deepEqual(await migrate(old, { "0001_store_init": storeInit }, target.display), ["0001_store_init"]);
    // Reports stored under the 0001 schema, through the same import.
    const oldStore: Store = { db: old.db, engine: old.engine, display: target.display, readonly: false, as: () => old.db as any, close: () => old.db.destroy() };
    const model = (agency: string, v: number): ParsedReport => ({ file: agency, format: "2021", report_year: 2023, agency, fields: { "applications.new.total": v, "applications.new.natural": v }, blank: [], ambiguous: [], provenance: {}, issues: [] });
    for (const [a, v] of [["甲局", 5], ["乙局", 9], ["丙局", 7]] as const) await importParsed(oldStore, model(a, v), { file: a, bytes: Buffer.from(a) }, { validate: false });
    const ranking = async (st: Store) => (await compare(st, { year: 2023, field: "applications.new.total" })).map((r) => [r.agency, r.value]);
    assert.deepEqual(await ranking(oldStore), [["乙局", 9], ["丙局", 7], ["甲局", 5]]);
    await oldStore.close();

    const s2 = await openStore(url);
    const names = (await s2.db.selectFrom("kysely_migration" as any).select("name" as any).execute()).map((r: any) => r.name).sort();
    assert.deepEqual(names, ["0001_store_init", "0002_values_by_field"]);
    assert.deepEqual(await ranking(s2), [["乙局", 9], ["丙局", 7], ["甲局", 5]]);
    assert.equal(await s2.db.selectFrom("values").select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow().then((r) => Number(r.n)), 6);
    if (isPostgres(s2.db)) {
      const idx = await sql<{ indexdef: string }>`select indexdef from pg_indexes where tablename = 'values' and indexname = 'values_field_report'`.execute(s2.db);
      assert.match(idx.rows[0]?.indexdef ?? "", /\(field, report_id\) INCLUDE \(value\)/);
    }
    await s2.close();
  });

  test.after(() => engine.cleanup());
}
