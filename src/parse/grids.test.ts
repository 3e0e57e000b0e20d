import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { toDocument, type TableGrid } from "./document.js";
import { readGridTables } from "./grids.js";

/**
 * The grid reader on the real HTML of pingtan 2024 (fixtures/reports/pingtan/2024-97791/page.html),
 * and on that same grid with the layout changes other sites print: a 法人或其他组织 小计 column,
 * columns in another order, an extra leading label column. The values must not move.
 */

const html = readFileSync(new URL("../../fixtures/reports/pingtan/2024-97791/page.html", import.meta.url), "utf8");
const doc = toDocument(html, "page.html");
const t3 = () => doc.tables.find((g) => g.rows.some((r) => r.some((c) => c.includes("本年新收"))))!;
const t4 = () => doc.tables.find((g) => g.rows.some((r) => r.some((c) => c.includes("复议后起诉"))))!;

function clone(g: TableGrid): TableGrid {
  return { ...g, rows: g.rows.map((r) => [...r]), origin: g.origin.map((r) => [...r]) };
}
/** Inserts a column at `at`; `cell(r)` gives its text in row r. */
function insertColumn(g: TableGrid, at: number, cell: (r: number, row: string[]) => string): TableGrid {
  const out = clone(g);
  out.rows.forEach((row, r) => row.splice(at, 0, cell(r, g.rows[r])));
  out.origin.forEach((row) => row.splice(at, 0, true));
  return out;
}
/** Moves column `from` to position `to`. */
function moveColumn(g: TableGrid, from: number, to: number): TableGrid {
  const out = clone(g);
  for (const m of [out.rows, out.origin] as unknown[][][]) {
    for (const row of m) {
      const [x] = row.splice(from, 1);
      row.splice(to, 0, x);
    }
  }
  return out;
}

// Values printed in the 2024 report (table 三 rows 一, (七)总计, (六)3.其他; table 四).
const EXPECTED: Record<string, number> = {
  "applications.new.natural": 217,
  "applications.new.commercial": 1,
  "applications.new.total": 218,
  "applications.result.unable.not_held.natural": 75,
  "applications.result.other.other.commercial": 1,
  "applications.result.other.other.total": 2,
  "applications.result.total.total": 218,
  "applications.carried_out.total": 0,
  "review.reconsideration.upheld": 2,
  "review.reconsideration.total": 7,
  "review.litigation_direct.total": 0,
  "review.litigation_after.upheld": 13,
  "review.litigation_after.total": 19,
};

function assertExpected(values: Record<string, number>): void {
  for (const [id, v] of Object.entries(EXPECTED)) assert.equal(values[id], v, id);
}

test("reads tables 二, 三, 四 of a real HTML report from its grids", () => {
  const r = readGridTables(doc.tables, "2021");
  assert.deepEqual(r.complete, { t2: true, t3: true, t4: true });
  assertExpected(r.values);
  assert.equal(r.values["proactive.normative_docs.issued"], 62);
  assert.equal(r.values["proactive.normative_docs.repealed"], 33);
  assert.equal(r.values["proactive.normative_docs.in_force"], 440);
  assert.equal(r.values["proactive.licensing.decisions"], 4529);
  assert.equal(r.values["proactive.fees.amount"], 18651.06);
  assert.equal(r.provenance["applications.new.total"].method, "table");
});

test("a printed 法人或其他组织 小计 column is skipped, not read as 总计", () => {
  const g = t3();
  const other = g.rows[2].findIndex((c) => c === "其他");
  const withSub = insertColumn(g, other + 1, (r, row) => {
    if (r === 0) return row[other];
    if (r < 3) return r === 1 ? row[other] : "小计";
    const parts = row.slice(other - 4, other + 1).map(Number);
    return String(parts.reduce((a, b) => a + b, 0));
  });
  const r = readGridTables([withSub, t4()], "2021");
  assert.equal(r.complete.t3, true);
  assertExpected(r.values);
});

test("columns printed in another order are read by their headers", () => {
  const g = t3();
  const total = g.rows[2].findIndex((c) => c === "总计");
  const natural = g.rows[2].findIndex((c) => c === "自然人");
  const moved = moveColumn(g, total, natural); // 总计 printed before 自然人
  const groups = t4();
  // 复议后起诉 block (columns 10–14) printed before 未经复议直接起诉 (5–9).
  let swapped = groups;
  for (let i = 0; i < 5; i++) swapped = moveColumn(swapped, 10 + i, 5 + i);
  const r = readGridTables([moved, swapped], "2021");
  assert.equal(r.complete.t3, true);
  assert.equal(r.complete.t4, true);
  assertExpected(r.values);
});

test("an extra leading label column (序号) does not shift the values", () => {
  const g = insertColumn(t3(), 0, (r) => (r < 3 ? "序号" : String(r - 2)));
  const r = readGridTables([g, t4()], "2021");
  assert.equal(r.complete.t3, true);
  assertExpected(r.values);
});

test("a grid whose headers cannot be mapped is left to the text reader", () => {
  const g = clone(t3());
  for (let r = 0; r < 3; r++) g.rows[r] = g.rows[r].map(() => "栏目");
  const r = readGridTables([g], "2021");
  assert.equal(r.complete.t3, false);
  assert.equal(r.values["applications.new.total"], undefined);
});

test("a traditional page's short cells are read simplified (行政強制 | 2 | 減2 | 4: 減2 alone has no character that gives it away)", async () => {
  const { parseReport } = await import("./index.js");
  const page = `<html><body><p>新樂市人民政府2019年政府信息公開工作年度報告</p><p>二、主動公開政府信息情況</p><table>
<tr><th colspan="4">第二十條第（六）項</th></tr>
<tr><th>信息內容</th><th>上一年項目數量</th><th>本年增/減</th><th>處理決定數量</th></tr>
<tr><td>行政處罰</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>行政強制</td><td>2</td><td>減2</td><td>4</td></tr></table></body></html>`;
  const r = await parseReport(page, { filename: "trad.html" });
  assert.equal(r.fields["proactive.coercion.change"], -2);
  assert.equal(r.fields["proactive.coercion.decisions"], 4);
});
