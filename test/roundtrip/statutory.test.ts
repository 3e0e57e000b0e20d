import { test } from "node:test";
import { FORMS } from "../../src/render/index.js";
import { assertRoundTrips } from "./check.js";

/**
 * 2019 and 2021 formats: random valid reports (tables 二, 三, 四; blank cells where the form keeps
 * their place, blank rows elsewhere) rendered in every form and parsed back to the same values.
 */

for (const generation of ["2021", "2019"] as const) {
  for (const form of FORMS) {
    test(`a valid ${generation}-format report survives the ${form} form`, async () => {
      await assertRoundTrips(generation, form, { numRuns: 30 });
    });
  }
}
