import { test } from "node:test";
import assert from "node:assert/strict";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseReport } from "../parse/index.js";
import { appendRecord, encodeRecord, formatRecord, type Target } from "./record.js";
import type { Outcome } from "./parse-file.js";

const FIX = new URL("../../fixtures/", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "gongkai-record-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));

test("records are encoded as UTF-8 exactly, whatever their size and characters, and append whole", async () => {
  const page = readFileSync(join(FIX, "reports", "pingtan", "2023-87885", "page.txt"));
  const report: Outcome = { file: "平潭/2023.txt", ok: true, report: await parseReport(page, { filename: "2023.txt" }) };
  // Characters outside the BMP (surrogate pairs, 4 bytes), and a record far beyond the first buffer.
  const astral: Outcome = { file: "𠀀𩸽😀.txt", ok: false, error: { code: "NOT_REPORT", message: "𠮷".repeat(200_000) } };
  const small: Outcome = { file: "a.txt", ok: false, error: { code: "EMPTY", message: "文件为空" } };
  for (const format of ["jsonl", "csv"] as const) {
    const out = join(work, `out.${format}`);
    const t: Target = { fd: openSync(out, "a"), format };
    const expected: Buffer[] = [];
    for (const o of [report, astral, small, report]) {
      const bytes = encodeRecord(t, o);
      const want = Buffer.from(formatRecord(t, o));
      assert.ok(bytes.equals(want), `${format}: ${o.file} encoded as Buffer.from would`);
      appendRecord(t, bytes);
      expected.push(want);
    }
    closeSync(t.fd);
    assert.ok(readFileSync(out).equals(Buffer.concat(expected)), `${format}: the file holds every record whole, in order`);
  }
  const line = JSON.parse(readFileSync(join(work, "out.jsonl"), "utf8").split("\n")[1]) as Outcome;
  assert.equal(line.file, "𠀀𩸽😀.txt");
});
