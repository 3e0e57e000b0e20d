import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ParsedReport } from "../model/index.js";
import { engines } from "../../test/pg.js";
import {
  openStore, importFiles, importParsed, listFindings, setVerdict, showFinding, compare, trend, missing, rollup,
  loadAgenciesCsv, findAgency, deriveLevel, counts, type Store,
} from "./index.js";

const FIX = new URL("../../fixtures/", import.meta.url).pathname;
const report = (p: string) => join(FIX, "reports", p);

/** A hand-labelled report (fixtures/expected) as the parser's model. */
function labelled(p: string, changes: Partial<ParsedReport> = {}): ParsedReport {
  const d = JSON.parse(readFileSync(join(FIX, "expected/reports", p), "utf8"));
  return { file: p, format: d.format, report_year: d.report_year, agency: d.agency, fields: { ...d.fields }, blank: d.blank ?? [], ambiguous: d.ambiguous ?? [], provenance: {}, issues: [], ...changes };
}
const bytesOf = (s: string) => Buffer.from(s, "utf8");
const n = async (store: Store, t: "reports" | "values" | "agencies" | "findings") => (await counts(store))[t];

test("agency levels are read from the name", () => {
  assert.equal(deriveLevel("福建省人民政府"), "省");
  assert.equal(deriveLevel("安康市人民政府"), "市");
  assert.equal(deriveLevel("衡山县人民政府"), "县");
  assert.equal(deriveLevel("福州市鼓楼区人民政府"), "区");
  assert.equal(deriveLevel("平潭综合实验区财政金融局"), "部门");
  assert.equal(deriveLevel("北京市人民政府"), "省");
  assert.equal(deriveLevel("某某"), null);
});

for (const engine of await engines("store")) {
  const E = `[${engine.name}]`;
  test.after(() => engine.cleanup());

  test(`${E} importing the same files twice stores each report once, with its original bytes`, async () => {
    const store = await openStore(await engine.fresh());
    try {
      const files = ["pingtan-dept/czj-2019-80560/page.txt", "pingtan-dept/czj-2020-80589/page.txt", "pingtan/2023-87885/page.txt"].map(report);
      const first = await importFiles(store, files);
      assert.deepEqual(first.map((o) => o.status), ["stored", "stored", "stored"]);
      const values = await n(store, "values");
      assert.ok(values > 100, `values stored: ${values}`);
      const again = await importFiles(store, files);
      assert.deepEqual(again.map((o) => o.status), ["duplicate", "duplicate", "duplicate"]);
      assert.deepEqual(again.map((o) => o.report_id), first.map((o) => o.report_id));
      assert.equal(await n(store, "reports"), 3);
      assert.equal(await n(store, "values"), values);
      const orig = await store.db.selectFrom("originals").innerJoin("reports", "reports.content_hash", "originals.content_hash")
        .select(["originals.bytes", "reports.source_file"]).where("reports.id", "=", first[0].report_id!).executeTakeFirstOrThrow();
      assert.deepEqual(Buffer.from(orig.bytes), readFileSync(files[0]));
      // Values keep their provenance.
      const prov = await store.db.selectFrom("values").select("provenance").where("report_id", "=", first[2].report_id!).where("provenance", "is not", null).execute();
      assert.ok(prov.length > 0 && JSON.parse(prov[0].provenance!).method);
    } finally { await store.close(); }
  });

  test(`${E} a different report for the same agency and year is a new version; the older is kept and the pair flagged`, async () => {
    const store = await openStore(await engine.fresh());
    try {
      const [a, b] = await importFiles(store, [report("pingtan/2024-97791/page.txt"), report("pingtan/2024-97791/page.html")]);
      assert.equal(a.status, "stored");
      assert.equal(b.status, "version");
      assert.equal(b.version, 2);
      assert.equal(b.supersedes, a.report_id);
      const rows = await store.db.selectFrom("reports").select(["id", "version", "superseded"]).orderBy("id").execute();
      assert.deepEqual(rows.map((r) => [r.version, r.superseded]), [[1, 1], [2, 0]]);
      const flag = (await listFindings(store, { rule: "STORE-VERSION" }));
      assert.equal(flag.length, 1);
      assert.equal(flag[0].report_id, b.report_id);
      assert.equal(flag[0].numbers.previous_report, a.report_id);
    } finally { await store.close(); }
  });

  test(`${E} agencies are matched by alias, created with level and parent, and a CSV sets the hierarchy`, async () => {
    const store = await openStore(await engine.fresh());
    const dir = mkdtempSync(join(tmpdir(), "gongkai-csv-"));
    try {
      const csv = join(dir, "agencies.csv");
      writeFileSync(csv, "\ufeffname,level,parent,aliases\n平潭综合实验区管委会,区,福州市人民政府,平潭综合实验区管委会办公室;平潭县人民政府\n");
      assert.equal(await loadAgenciesCsv(store, csv), 1);
      const out = await importFiles(store, [report("pingtan/2013-80759/page.txt"), report("pingtan-dept/czj-2022-80614/page.txt"), report("pingtan/2011-80716/page.txt")]);
      assert.deepEqual(out.map((o) => o.agency), ["平潭综合实验区管委会", "平潭综合实验区财政金融局", "平潭综合实验区管委会"]);
      const gov = await findAgency(store, "平潭综合实验区管委会办公室");
      assert.equal(gov?.name, "平潭综合实验区管委会");
      assert.equal(gov?.level, "区");
      const city = await findAgency(store, "福州市人民政府");
      assert.equal(city?.level, "市");
      assert.equal(gov?.parent_id, city?.id);
      const dept = await findAgency(store, "平潭综合实验区财政金融局");
      assert.equal(dept?.level, "部门");
      assert.equal(dept?.parent_id, gov?.id, "a department's parent is the government whose place name it starts with");
      // The printed name is kept on the report.
      const printed = await store.db.selectFrom("reports").select("printed_agency").where("id", "=", out[0].report_id!).executeTakeFirstOrThrow();
      assert.equal(printed.printed_agency, "平潭综合实验区管委会办公室");
    } finally { await store.close(); rmSync(dir, { recursive: true, force: true }); }
  });

  test(`${E} across years: carried_out of N against carried_in of N+1, 上一年项目数量, and ×10 jumps are flagged`, async () => {
    const store = await openStore(await engine.fresh());
    try {
      // 财政金融局 2019 → 2020 (both 2019 format): 行政许可 上一年项目数量 3 → 0 is a real inconsistency (spec §6.1).
      await importParsed(store, labelled("pingtan-dept/czj-2019-80560.json"), { file: "czj-2019", bytes: bytesOf("czj-2019") });
      const y2020 = labelled("pingtan-dept/czj-2020-80589.json");
      y2020.fields["applications.new.natural"] = 20;
      await importParsed(store, y2020, { file: "czj-2020", bytes: bytesOf("czj-2020") });
      const across = await listFindings(store, { year: 2020 });
      const prev = across.filter((f) => f.rule === "PRO19-PREV-CONTINUITY");
      assert.ok(prev.some((f) => f.fields.includes("proactive.licensing.prev_items") && f.numbers.expected === 3 && f.numbers.actual === 0), JSON.stringify(prev));

      // A 2021 report whose carried_in does not match 2020's carried_out, and a value ten times the year before.
      const y2021 = labelled("pingtan-dept/czj-2022-80614.json", { report_year: 2021, agency: "平潭综合实验区财政金融局" });
      const out2020 = y2020.fields["applications.carried_out.total"]!;
      y2021.fields["applications.carried_in.total"] = out2020 + 2;
      y2021.fields["applications.new.natural"] = 400;
      y2021.fields["applications.new.legal"] = 5;
      await importParsed(store, y2021, { file: "czj-2021", bytes: bytesOf("czj-2021") });
      const f2021 = await listFindings(store, { year: 2021 });
      const carry = f2021.find((f) => f.rule === "APP-CARRY-CONTINUITY");
      assert.equal(carry?.source, "across");
      assert.equal(carry?.numbers.actual, out2020 + 2);
      assert.equal(carry?.numbers.expected, out2020);
      const jump = f2021.filter((f) => f.rule === "YEAR-JUMP");
      assert.deepEqual(jump.find((f) => f.fields[0] === "applications.new.natural")?.numbers, { expected: 20, actual: 400 });
      for (const j of jump) {
        const [a, b] = [Number(j.numbers.expected), Number(j.numbers.actual)];
        assert.ok(Math.max(a, b) / Math.min(a, b) >= 10 && Math.max(a, b) >= 100, j.message);
      }

      // Importing the year between later recomputes the next year's checks: 2022 alone has none, then gets them.
      const y2022 = labelled("pingtan-dept/czj-2022-80614.json", { report_year: 2023 });
      await importParsed(store, y2022, { file: "czj-2023", bytes: bytesOf("czj-2023") });
      assert.equal((await listFindings(store, { year: 2023 })).filter((f) => f.source === "across").length, 0);
      const y2022b = labelled("pingtan-dept/czj-2022-80614.json");
      y2022b.fields["applications.carried_out.total"] = 99;
      await importParsed(store, y2022b, { file: "czj-2022", bytes: bytesOf("czj-2022") });
      const f2023 = await listFindings(store, { year: 2023, rule: "APP-CARRY-CONTINUITY" });
      assert.equal(f2023.length, 1, "2023 is now checked against the 2022 report imported after it");
      assert.equal(f2023[0].numbers.expected, 99);
    } finally { await store.close(); }
  });

  test(`${E} verdicts survive re-import: a new version of the report carries the same finding fingerprint`, async () => {
    const store = await openStore(await engine.fresh());
    const dir = mkdtempSync(join(tmpdir(), "gongkai-verdict-"));
    try {
      await importFiles(store, [report("pingtan-dept/czj-2019-80560/page.txt"), report("pingtan-dept/czj-2020-80589/page.txt")]);
      const open = await listFindings(store, { year: 2020, rule: "PRO19-PREV-CONTINUITY" });
      assert.ok(open.length >= 1, "the real 2019 → 2020 inconsistency is found");
      const target = open[0];
      await setVerdict(store, target.fingerprint.slice(0, 8), "dismissed", { comment: "机构调整，口径变化", who: "评估员甲" });
      assert.equal((await listFindings(store, { status: "dismissed" }))[0].fingerprint, target.fingerprint);
      // The same report re-published with a trailing note: new bytes, re-parsed, stored as version 2.
      const edited = join(dir, "czj-2020-edited.txt");
      writeFileSync(edited, Buffer.concat([readFileSync(report("pingtan-dept/czj-2020-80589/page.txt")), Buffer.from("\n（更新）\n")]));
      const [v2] = await importFiles(store, [edited]);
      assert.equal(v2.status, "version");
      const now = await listFindings(store, { year: 2020, rule: "PRO19-PREV-CONTINUITY" });
      const same = now.find((f) => f.fingerprint === target.fingerprint);
      assert.ok(same, "same fingerprint on the new version");
      assert.equal(same.report_id, v2.report_id);
      assert.equal(same.verdict, "dismissed");
      assert.equal(same.comment, "机构调整，口径变化");
      assert.equal(same.who, "评估员甲");
      await setVerdict(store, target.fingerprint, "confirmed", { who: "评估员乙" });
      assert.equal((await listFindings(store, { status: "confirmed" })).length, 1);
      assert.equal((await listFindings(store, { status: "dismissed" })).length, 0);
      const shown = await showFinding(store, target.fingerprint);
      assert.deepEqual(shown.original, readFileSync(edited));
      assert.ok(shown.values.some((v) => v.field === "proactive.licensing.prev_items" && v.value === 0));
      await assert.rejects(setVerdict(store, "ffffffffff", "confirmed"), /没有指纹/);
    } finally { await store.close(); rmSync(dir, { recursive: true, force: true }); }
  });

  test(`${E} compare ranks, trend follows one agency, missing lists agencies without a report`, async () => {
    const store = await openStore(await engine.fresh());
    try {
      const base = labelled("pingtan/2024-97791.json");
      const mk = (agency: string, year: number, value: number, extra: Record<string, number> = {}) =>
        importParsed(store, { ...base, agency, report_year: year, fields: { ...base.fields, "applications.new.total": value, ...extra } }, { file: `${agency}-${year}`, bytes: bytesOf(`${agency}-${year}-${value}`) }, { validate: false });
      await mk("甲县人民政府", 2023, 120);
      await mk("乙县人民政府", 2023, 300);
      await mk("丙市人民政府", 2023, 120);
      await mk("甲县人民政府", 2024, 150);
      await mk("乙县人民政府", 2024, 280);
      const ranked = await compare(store, { year: 2023, field: "applications.new.total" });
      assert.deepEqual(ranked.map((r) => [r.rank, r.agency, r.value]), [[1, "乙县人民政府", 300], [2, "丙市人民政府", 120], [2, "甲县人民政府", 120]]);
      const counties = await compare(store, { year: 2023, field: "applications.new.total", level: "县" });
      assert.deepEqual(counties.map((r) => r.agency), ["乙县人民政府", "甲县人民政府"]);
      const t = await trend(store, { agency: "甲县", field: "applications.new.total" });
      assert.equal(t.agency.name, "甲县人民政府");
      assert.deepEqual(t.rows.map((r) => [r.year, r.value, r.change]), [[2023, 120, null], [2024, 150, 30]]);
      const gone = await missing(store, { year: 2024 });
      assert.deepEqual(gone.map((r) => [r.agency, r.last_year]), [["丙市人民政府", 2023]]);
      await assert.rejects(compare(store, { year: 2023, field: "no.such.field" }), /未知字段/);
    } finally { await store.close(); }
  });

  test(`${E} rollup sums the units, validates the sum, and lists every difference from the published report`, async () => {
    const store = await openStore(await engine.fresh());
    try {
      const base = labelled("pingtan/2024-97791.json");
      const city = "丁市人民政府";
      const unitA = { ...base, agency: "丁市甲区人民政府", fields: { ...base.fields } };
      const unitB = { ...base, agency: "丁市乙区人民政府", fields: { ...base.fields } };
      const doubled = Object.fromEntries(Object.entries(base.fields).map(([k, v]) => [k, v * 2]));
      // The city's own report: twice each unit, except 本年新收 总计 printed 3 too high.
      const published = { ...base, agency: city, fields: { ...doubled, "applications.new.total": doubled["applications.new.total"] + 3 } };
      await importParsed(store, published, { file: "city", bytes: bytesOf("city") });
      await importParsed(store, unitA, { file: "a", bytes: bytesOf("a") });
      await importParsed(store, unitB, { file: "b", bytes: bytesOf("b") });
      await importParsed(store, { ...base, agency: "丁市丙区人民政府" }, { file: "c", bytes: bytesOf("c") }, { year: 2023 });
      const r = await rollup(store, { agency: "丁市", year: 2024 });
      assert.equal(r.agency.name, city);
      assert.deepEqual(r.units.map((u) => [u.agency, u.report_id !== null]), [["丁市丙区人民政府", false], ["丁市乙区人民政府", true], ["丁市甲区人民政府", true]]);
      assert.equal(r.sum.fields["applications.new.total"], doubled["applications.new.total"]);
      assert.deepEqual(r.differences.map((d) => [d.field, d.units_sum, d.published, d.difference]), [["applications.new.total", doubled["applications.new.total"], doubled["applications.new.total"] + 3, 3]]);
      // The units' report is consistent, so the sum is too.
      assert.equal(r.findings.filter((f) => f.severity === "error").length, 0);
      await assert.rejects(rollup(store, { agency: "丁市甲区", year: 2024 }), /没有下级单位/);
      // Only the departments of the city: there are none, so nothing to sum.
      await assert.rejects(rollup(store, { agency: "丁市", year: 2024, units: ["部门"] }), /没有下级单位/);
      assert.equal((await rollup(store, { agency: "丁市", year: 2024, units: ["区"] })).units.length, 3);
    } finally { await store.close(); }
  });
}
