import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { engines } from "../../test/pg.js";
import { exportRegister, importRegister, parseCsv, readRegisterFile } from "./io.js";
import { openRegister } from "./register-store.js";

const suites = await engines("requests_io");
after(async () => { for (const e of suites) await e.cleanup(); });
const dir = mkdtempSync(join(tmpdir(), "gk-req-io-"));

const HEADER = "编号,办理机关,申请人类型,申请人,证件号码,联系方式,渠道,申请内容,收到日期,征求意见期间,延期批准日期,延长工作日数,收费通知日期,收费方式,页数,缴费日期,答复日期,办理结果";
const GOOD = [
  HEADER,
  "2025-001,某县政务公开办,自然人,赵六,110101199001011234,13800000001,网络,\"某路段改造的批复, 附件\",2025-09-30,,,,,,,,2025-10-20,予以公开",
  "2025-002,某县政务公开办,商业企业,某某有限公司,91110000XXXXXXXX,010-1234567,挂号邮寄,某项目环评,2025-03-03,2025-03-10~2025-03-21,,,,,,,2025-04-14,属于国家秘密",
  "2025-003,某县政务公开办,法律服务机构,某律师事务所,,,当面,卷宗材料,2025-11-03,,2025-11-20,10,2025-11-21,按量,120,2025-11-25,,",
].join("\n");

test("parses quoted CSV cells with commas and doubled quotes", () => {
  assert.deepEqual(parseCsv('\uFEFFa,"b, c","d ""e"""\r\n1,2,3\n'), [["a", "b, c", 'd "e"'], ["1", "2", "3"]]);
});

for (const engine of suites) {
  test(`[${engine.name}] a file with bad rows is rejected whole, every bad row listed, nothing stored`, async () => {
    const file = join(dir, `bad-${engine.name}.csv`);
    writeFileSync(file, [
      HEADER,
      "B-1,某县政务公开办,自然人,甲,,,网络,内容,2025-09-30,,,,,,,,2025-10-20,予以公开",
      "B-2,某县政务公开办,外星人,乙,,,网络,内容,2025-02-30,,,,,,,,,",
      "B-3,某县政务公开办,自然人,丙,,,飞鸽,内容,2025-03-01,,,,,,,,2025-03-05,随便",
      "B-1,某县政务公开办,自然人,丁,,,网络,内容,2025-03-01,,2025-03-02,30,,,,,,",
    ].join("\n"));
    const reg = await openRegister(await engine.fresh());
    try {
      const r = await importRegister(reg, file);
      assert.equal(r.ok, false);
      const lines = r.ok ? [] : r.errors.map((e) => `${/第(\d+)行/.exec(e.where ?? "")?.[1]}:${e.code}`);
      assert.deepEqual(lines, ["3:ROW-TYPE", "3:ROW-DATE", "4:ROW-CHANNEL", "4:ROW-OUTCOME", "5:APP-DUPLICATE"]);
      assert.deepEqual(await reg.entries(), []);
    } finally { await reg.close(); }
  });

  test(`[${engine.name}] imports a register, computes fees and due dates, exports it without personal data`, async () => {
    const file = join(dir, `good-${engine.name}.csv`);
    writeFileSync(file, GOOD);
    const reg = await openRegister(await engine.fresh());
    try {
      const r = await importRegister(reg, file);
      assert.ok(r.ok, JSON.stringify(r));
      const e3 = await reg.get("某县政务公开办", "2025-003");
      // 120 pages 按量: 70 × 10 + 20 × 20 = 1100 yuan.
      assert.equal(e3?.events.find((e) => e.kind === "fee_notice")?.fee?.amountYuan, 1100);
      const e2 = await reg.get("某县政务公开办", "2025-002");
      assert.equal(e2?.state.outcome, "withheld.state_secret");
      const out = join(dir, `out-${engine.name}.csv`);
      await exportRegister(reg, out, { personal: false, asOf: "2025-12-01" });
      const text = readFileSync(out, "utf8");
      for (const secret of ["赵六", "110101199001011234", "13800000001", "某某有限公司", "010-1234567"]) assert.ok(!text.includes(secret), secret);
      assert.match(text, /答复期限/);
      const xlsx = join(dir, `out-${engine.name}.xlsx`);
      await exportRegister(reg, xlsx, { personal: true, asOf: "2025-12-01" });
      const back = await readRegisterFile(xlsx);
      assert.ok(back.ok);
      if (back.ok) {
        assert.equal(back.value.rows.length, 3);
        assert.equal(back.value.rows.find((x) => x.number === "2025-001")?.applicant_name, "赵六");
      }
      // The staff export re-imports into an empty register unchanged.
      const reg2 = await openRegister(await engine.fresh());
      try {
        const again = await importRegister(reg2, xlsx);
        assert.ok(again.ok, JSON.stringify(again));
        const a = (await reg.entries()).map((e) => [e.app, e.events]);
        const b = (await reg2.entries()).map((e) => [e.app, e.events]);
        assert.deepEqual(b, a);
      } finally { await reg2.close(); }
    } finally { await reg.close(); }
  });
}
