import { test, after } from "node:test";
import assert from "node:assert/strict";
import { engines } from "../../test/pg.js";
import { openRegister } from "./register-store.js";
import type { Application } from "./register.js";

const suites = await engines("requests");
after(async () => { for (const e of suites) await e.cleanup(); });

const app = (id: string, receivedOn: string, extra: Partial<Application> = {}): Application => ({
  id, agency: "某某区政务公开办", applicantType: "natural", applicant: { name: "李四", idNumber: "110101199001011234", contact: "13900000000" },
  channel: "online", subject: "2024年某项目审批材料", receivedOn, ...extra,
});

for (const engine of suites) {
  test(`[${engine.name}] registers applications and events, and computes due dates from the stored calendar`, async () => {
    const reg = await openRegister(await engine.fresh());
    try {
      const r = await reg.addApplication(app("2025-001", "2025-09-30"));
      assert.ok(r.ok, JSON.stringify(r));
      if (r.ok) assert.equal(r.value.deadline.due, "2025-11-04");
      const ev = await reg.addEvent("某某区政务公开办", "2025-001", { kind: "extension", date: "2025-10-30", days: 20 }, "2025-10-30");
      assert.ok(ev.ok);
      if (ev.ok) assert.equal(ev.value.deadline.due, "2025-12-02");
      const second = await reg.addEvent("某某区政务公开办", "2025-001", { kind: "extension", date: "2025-10-31", days: 3 }, "2025-10-31");
      assert.equal(second.ok, false);
      if (!second.ok) assert.equal(second.errors[0].code, "EV-EXTENSION-TWICE");
      const dup = await reg.addApplication(app("2025-001", "2025-10-01"));
      assert.equal(dup.ok, false);
      const list = await reg.deadlines({ asOf: "2025-11-10" });
      assert.deepEqual(list.map((d) => [d.applicationId, d.due, d.workingDaysLeft]), [["2025-001", "2025-12-02", 16]]);
    } finally { await reg.close(); }
  });

  test(`[${engine.name}] adding a missing calendar year re-dates open applications and shows the change`, async () => {
    const reg = await openRegister(await engine.fresh());
    try {
      assert.ok((await reg.addApplication(app("2026-900", "2026-12-15"))).ok);
      assert.ok((await reg.addApplication(app("2026-901", "2026-03-02", { applicantType: "legal" }), {}, [{ kind: "answered", date: "2026-03-05", outcome: "disclosed" }])).ok);
      const before = await reg.deadlines({ asOf: "2026-12-15" });
      assert.deepEqual([before[0].due, before[0].provisional, before[0].missingYears], ["2027-01-12", true, [2027]]);
      // Test data, not an official notice: 2027-01-01 off.
      const changes = await reg.addCalendarYear({ year: 2027, notices: [{ number: "测试用", title: "测试用" }], holidays: [{ date: "2027-01-01", name: "元旦", notice: "测试用" }], workdays: [] }, "2026-12-15");
      assert.ok(changes.ok);
      if (changes.ok) assert.deepEqual(changes.value, [{ agency: "某某区政务公开办", id: "2026-900", before: "2027-01-12", after: "2027-01-13", provisionalBefore: true, provisionalAfter: false }]);
      const set = await reg.setCalendarDay("2027-01-04", "holiday", "测试", "测试用", "2026-12-15");
      assert.ok(set.ok);
      if (set.ok) assert.deepEqual(set.value.map((c) => [c.before, c.after]), [["2027-01-13", "2027-01-14"]]);
      const bad = await reg.setCalendarDay("2028-01-03", "holiday", "x", "x", "2026-12-15");
      assert.equal(bad.ok, false);
    } finally { await reg.close(); }
  });

  test(`[${engine.name}] tables of an issued year cannot change silently; a correction is recorded with its reason`, async () => {
    const reg = await openRegister(await engine.fresh());
    const agency = "某某区政务公开办";
    try {
      assert.ok((await reg.addApplication(app("2024-001", "2024-03-01"), {}, [{ kind: "answered", date: "2024-03-10", outcome: "disclosed" }])).ok);
      assert.ok((await reg.addApplication(app("2024-002", "2024-12-20", { applicantType: "commercial" }))).ok);
      const issued = await reg.issue(agency, 2024, "2025-01-20");
      assert.ok(issued.ok);
      if (issued.ok) assert.equal(issued.value["applications.carried_out.commercial"], 1);
      // Answering in 2025 does not touch 2024's figures: accepted.
      assert.ok((await reg.addEvent(agency, "2024-002", { kind: "answered", date: "2025-01-06", outcome: "partial" }, "2025-01-06")).ok);
      // A late-registered 2024 application would change 2024: refused, nothing stored.
      const refused = await reg.addApplication(app("2024-003", "2024-05-05"));
      assert.equal(refused.ok, false);
      if (!refused.ok) assert.equal(refused.errors[0].code, "LOCKED-YEAR");
      assert.equal(await reg.get(agency, "2024-003"), undefined);
      // With a reason it is stored and the correction is dated.
      const corrected = await reg.addApplication(app("2024-003", "2024-05-05"), { correction: { reason: "漏登一件当面申请", on: "2025-02-10" } });
      assert.ok(corrected.ok);
      const t = await reg.tables(agency, 2024);
      assert.equal(t.issued?.figures["applications.new.total"], 2, "issued figures kept as published");
      assert.equal(t.fields["applications.new.total"], 3);
      assert.deepEqual(t.corrections.map((c) => [c.recordedOn, c.reason, c.changes.find((x) => x.field === "applications.new.total")]), [["2025-02-10", "漏登一件当面申请", { field: "applications.new.total", before: 2, after: 3 }]]);
      const t2025 = await reg.tables(agency, 2025);
      assert.equal(t2025.fields["applications.carried_in.total"], 2);
      assert.deepEqual(t2025.findings.filter((f) => f.severity !== "info"), []);
    } finally { await reg.close(); }
  });

  test(`[${engine.name}] a batch with any bad item stores nothing and lists every problem`, async () => {
    const reg = await openRegister(await engine.fresh());
    try {
      const r = await reg.addApplications([
        { app: app("A-1", "2025-03-01"), events: [], where: "第2行" },
        { app: app("A-2", "2025-02-30"), events: [], where: "第3行" },
        { app: app("A-3", "2025-03-01"), events: [{ kind: "correction_received", date: "2025-03-05" }], where: "第4行" },
        { app: app("A-1", "2025-03-02"), events: [], where: "第5行" },
      ]);
      assert.equal(r.ok, false);
      if (!r.ok) assert.deepEqual(r.errors.map((e) => [e.where?.split(" ")[0], e.code]), [["第3行", "APP-DATE"], ["第4行", "EV-NO-CORRECTION"], ["第5行", "APP-DUPLICATE"]]);
      assert.deepEqual(await reg.entries(), []);
    } finally { await reg.close(); }
  });
}
