import { test } from "node:test";
import { FORMS } from "../../src/render/index.js";
import { assertRoundTrips, type PropertyOptions } from "./check.js";

/**
 * Pre-2019 statistics tables: the national 统计表 (统计指标 | 单位 | 统计数) and the 福建 table
 * (YYYY年度 | 历年累计, row sets A and B), rendered in every form and parsed back. Blank cells are
 * drawn wherever the form keeps their place (grids and `|  |` pipes, the last cell of a row
 * included), blank rows in the other forms.
 */

for (const kind of ["national", "fujian-A", "fujian-B"] as const) {
  for (const form of FORMS) {
    const opts: PropertyOptions = { numRuns: 40 };
    test(`a valid pre-2019 ${kind} table survives the ${form} form`, async () => {
      await assertRoundTrips(kind, form, opts);
    });
  }
}
