import { test } from "node:test";
import { FORMS } from "../../src/render/index.js";
import { assertRoundTrips } from "./check.js";

/**
 * Traditional characters (OpenCC cn→tw, as S1) and GBK bytes (older sites) read back to the same
 * values, in every form, with the blanks each form can carry.
 */

for (const kind of ["2021", "2019", "fujian-A", "fujian-B", "national"] as const) {
  for (const form of FORMS) {
    test(`a valid ${kind} report in traditional characters as GBK bytes survives the ${form} form`, async () => {
      await assertRoundTrips(kind, form, { numRuns: 6, traditional: true, encoding: "gbk" });
    });
  }
}
