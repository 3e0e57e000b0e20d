import { test } from "node:test";
import assert from "node:assert/strict";
import { perApplicationFee, perApplicationMonthTotal, perApplicationRate, perPageFee } from "./fees.js";

test("按件: 10 applications a month are free, the 11th to 30th cost 100 yuan, then 100 more per band of 10", () => {
  assert.deepEqual([1, 10, 11, 30, 31, 40, 41, 50, 51].map(perApplicationRate), [0, 0, 100, 100, 200, 200, 300, 300, 400]);
  // 35 applications: 20 × 100 + 5 × 200 = 3000.
  assert.equal(perApplicationMonthTotal(35), 3000);
  assert.equal(perApplicationFee(45).lines[0].band, "第41–50件");
  assert.throws(() => perApplicationRate(0));
});

test("按量: 30 pages free, then 10, 20 and 40 yuan a page by band", () => {
  assert.equal(perPageFee(30).amountYuan, 0);
  assert.equal(perPageFee(31).amountYuan, 10);
  // 250 pages: 70 × 10 + 100 × 20 + 50 × 40 = 700 + 2000 + 2000 = 4700.
  const q = perPageFee(250);
  assert.equal(q.amountYuan, 4700);
  assert.deepEqual(q.lines.map((l) => [l.band, l.count, l.amountYuan]), [["1–30页", 30, 0], ["31–100页", 70, 700], ["101–200页", 100, 2000], ["201页以上", 50, 2000]]);
  assert.match(q.basis, /国办函〔2020〕109号/);
});
