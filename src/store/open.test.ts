import { test } from "node:test";
import assert from "node:assert/strict";
import { sql, type Generated, type Migration } from "kysely";
import { engines } from "../../test/pg.js";
import { openStore, isPostgres } from "./index.js";

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
    assert.deepEqual(names, ["0001_store_init", "0100_test_things"]);
    assert.equal((await s3.as<{ things: { id: number } }>().selectFrom("things").selectAll().execute()).length, 1);
    await s3.close();
  });
  test.after(() => engine.cleanup());
}
