import type { Command } from "commander";
import {
  APPLICANT_TYPES, CHANNELS, EVENT_KINDS, OUTCOMES, REVIEW_RESULTS, exportRegister, formatProblem, importRegister, isIsoDate,
  perApplicationFee, perPageFee, todayInChina,
  type Application, type ChangeOptions, type Deadline, type EventKind, type Problem, type RequestEvent,
} from "../../requests/index.js";
import { withRegister } from "../with-register.js";
import { drawApplicationTables } from "../report-view.js";

/**
 * `gongkai requests …`: the application register of one or more agencies. Dates are YYYY-MM-DD;
 * "today" is the date in China unless --as-of is given. Exit 0 ok, 1 refused or invalid, 2 when
 * the database or a file cannot be used.
 */

type Out = { log: (s: string) => void; err: (s: string) => void };
const out: Out = { log: (s) => process.stdout.write(s + "\n"), err: (s) => process.stderr.write(s + "\n") };

function keyOf<T extends Record<string, string>>(table: T, v: string | undefined): keyof T | undefined {
  if (v === undefined) return undefined;
  const hit = Object.entries(table).find(([k, label]) => k === v || label === v || label.endsWith(`：${v}`) || label.replace(/^（.）/, "") === v);
  return hit?.[0] as keyof T | undefined;
}

function problems(list: Problem[], setCode: (c: number) => void): void {
  for (const p of list) out.err(`gongkai requests: ${formatProblem(p)}`);
  setCode(1);
}


function correctionOpts(o: { correctionReason?: string; correctionOn?: string }): ChangeOptions {
  return o.correctionReason ? { correction: { reason: o.correctionReason, on: o.correctionOn ?? todayInChina() } } : {};
}

function asOfOf(o: { asOf?: string }, setCode: (c: number) => void): string | undefined {
  const d = o.asOf ?? todayInChina();
  if (!isIsoDate(d)) { out.err(`gongkai requests: 日期无效 ${d} (invalid date, use YYYY-MM-DD)`); setCode(2); return undefined; }
  return d;
}

export function formatDeadline(d: Deadline & { agency?: string }, explain: boolean): string {
  const state = { open: "办理中", awaiting_correction: "等待补正", consulting: "征求意见中", awaiting_fee: "等待缴费", closed: "已办结" }[d.status];
  const due = d.due ? `${d.due}${d.provisional ? `（暂定，缺${d.missingYears.join("、")}年日历）` : ""}` : "—（计时暂停）";
  const left = d.workingDaysLeft === undefined ? "" : d.overdue ? `  超期 ${-d.workingDaysLeft} 个工作日` : `  剩余 ${d.workingDaysLeft} 个工作日`;
  const head = `${d.agency ? `${d.agency} ` : ""}${d.applicationId}  ${state}  期限 ${due}${left}${d.onTime === false ? "  （逾期办结）" : ""}`;
  if (!explain) return head;
  const lines = d.explanation.map((l) => `    ${l.zh}\n      ${l.en}`);
  const warn = d.warnings.map((w) => `    ⚠ ${formatProblem(w)}`);
  return [head, ...lines, ...warn].join("\n");
}

export function register(program: Command, setCode: (code: number) => void): void {
  const cmd = program.command("requests").description("依申请公开登记：申请、事件、答复期限、年度报告表三/表四 (application register: deadlines and tables)");

  cmd.command("add")
    .description("登记一件申请 (register an application)")
    .requiredOption("--agency <name>", "办理机关 (handling agency)")
    .requiredOption("--number <id>", "申请编号 (application number)")
    .requiredOption("--type <type>", `申请人类型 (${Object.values(APPLICANT_TYPES).join("/")})`)
    .requiredOption("--name <name>", "申请人姓名或名称 (applicant; personal data)")
    .option("--id-number <id>", "证件号码 (personal data)")
    .option("--contact <contact>", "联系方式 (personal data)")
    .requiredOption("--channel <channel>", `渠道 (${Object.values(CHANNELS).join("/")})`)
    .requiredOption("--subject <text>", "申请内容 (what is asked for)")
    .requiredOption("--received <date>", "收到申请日期，按第三十一条确定 (receipt date, art. 31)")
    .option("--correction-reason <text>", "更改已发布年度数字时的更正理由 (reason, when an issued year changes)")
    .option("--correction-on <date>", "更正日期 (date of the correction)")
    .option("--db <url>", "数据库 (SQLite file or postgres:// URL)")
    .action(async (o) => withRegister("requests", o.db, setCode, async (reg) => {
      const applicantType = keyOf(APPLICANT_TYPES, o.type);
      const channel = keyOf(CHANNELS, o.channel);
      const app = { id: o.number, agency: o.agency, applicantType, channel, subject: o.subject, receivedOn: o.received, applicant: { name: o.name, ...(o.idNumber ? { idNumber: o.idNumber } : {}), ...(o.contact ? { contact: o.contact } : {}) } } as Application;
      if (!applicantType) app.applicantType = o.type;
      if (!channel) app.channel = o.channel;
      const r = await reg.addApplication(app, correctionOpts(o));
      if (!r.ok) return problems(r.errors, setCode);
      out.log(`已登记 (registered) ${o.agency} ${o.number}`);
      out.log(formatDeadline(r.value.deadline, true));
    }));

  cmd.command("event <agency> <number> <kind> <date>")
    .description(`记录事件 (record an event): ${Object.entries(EVENT_KINDS).map(([k, v]) => `${k}=${v}`).join(", ")}`)
    .option("--days <n>", "延长工作日数 (extension days)")
    .option("--party <who>", "征求意见对象 third_party|agency", "third_party")
    .option("--outcome <row>", "办理结果：表三的行 (outcome: a table-三 row, key or label)")
    .option("--result <r>", "复议/诉讼结果 upheld|corrected|other (维持/纠正/其他)")
    .option("--fee-method <m>", "收费方式 按件|按量")
    .option("--pages <n>", "按量：页数")
    .option("--rank <n>", "按件：本月第几件申请")
    .option("--note <text>", "备注")
    .option("--correction-reason <text>", "更改已发布年度数字时的更正理由")
    .option("--correction-on <date>", "更正日期")
    .option("--as-of <date>", "计算剩余天数的日期 (date for days left)")
    .option("--db <url>", "数据库")
    .action(async (agency: string, number: string, kindArg: string, date: string, o) => {
      const asOf = asOfOf(o, setCode);
      if (!asOf) return;
      const kind = keyOf(EVENT_KINDS, kindArg) as EventKind | undefined;
      if (!kind) { out.err(`gongkai requests: 未知事件类型 ${kindArg} (unknown event kind; one of ${Object.keys(EVENT_KINDS).join(", ")})`); setCode(2); return; }
      const ev: RequestEvent = { kind, date };
      if (o.days !== undefined) ev.days = Number(o.days);
      if (kind === "consultation_started") ev.party = o.party === "agency" ? "agency" : "third_party";
      if (o.outcome !== undefined) ev.outcome = (keyOf(OUTCOMES, o.outcome) ?? o.outcome) as RequestEvent["outcome"];
      if (o.result !== undefined) ev.result = (keyOf(REVIEW_RESULTS, o.result) ?? keyOf({ upheld: "维持", corrected: "纠正", other: "其他" }, o.result) ?? o.result) as RequestEvent["result"];
      if (o.note) ev.note = o.note;
      if (kind === "fee_notice") {
        const method = keyOf({ per_application: "按件", per_page: "按量" }, o.feeMethod);
        if (method === "per_page" && o.pages !== undefined) ev.fee = { method, pages: Number(o.pages), amountYuan: perPageFee(Number(o.pages)).amountYuan };
        else if (method === "per_application" && o.rank !== undefined) ev.fee = { method, monthlyRank: Number(o.rank), amountYuan: perApplicationFee(Number(o.rank)).amountYuan };
        else { out.err("gongkai requests: 收费通知须注明 --fee-method 按量 --pages N 或 --fee-method 按件 --rank N (fee notice needs its method)"); setCode(2); return; }
      }
      await withRegister("requests", o.db, setCode, async (reg) => {
        const r = await reg.addEvent(agency, number, ev, asOf, correctionOpts(o));
        if (!r.ok) return problems(r.errors, setCode);
        out.log(`已记录 (recorded) ${EVENT_KINDS[kind]} ${date}${ev.fee ? `，收费 ${ev.fee.amountYuan} 元` : ""}`);
        for (const c of r.value.corrections) out.log(`已记录更正 (correction recorded) ${c.year}年度 ${c.recordedOn}：${c.reason}`);
        out.log(formatDeadline(r.value.deadline, true));
      });
    });

  cmd.command("show <agency> <number>")
    .description("一件申请的详情、事件和期限说明 (one application, its events and deadline explanation)")
    .option("--personal", "显示申请人个人信息（仅限本机关工作人员）(show personal data: staff only)")
    .option("--as-of <date>", "计算日期")
    .option("--json", "JSON 输出")
    .option("--db <url>", "数据库")
    .action(async (agency: string, number: string, o) => {
      const asOf = asOfOf(o, setCode);
      if (!asOf) return;
      await withRegister("requests", o.db, setCode, async (reg) => {
        const e = await reg.get(agency, number);
        if (!e) return problems([{ code: "APP-NOT-FOUND", message: `未找到申请 ${agency} ${number}`, message_en: "no such application" }], setCode);
        const d = (await reg.deadlines({ agency, asOf, includeClosed: true })).find((x) => x.applicationId === number)!;
        const app = o.personal ? e.app : { ...e.app, applicant: { name: "（已隐去）" } };
        if (o.json) { out.log(JSON.stringify({ application: app, events: e.events, deadline: d }, null, 2)); return; }
        out.log(`${agency} ${number}  ${APPLICANT_TYPES[e.app.applicantType]}  ${CHANNELS[e.app.channel]}  收到 ${e.app.receivedOn}`);
        out.log(`  申请人 (applicant): ${app.applicant.name}${o.personal && e.app.applicant.idNumber ? `  证件 ${e.app.applicant.idNumber}` : ""}${o.personal && e.app.applicant.contact ? `  联系 ${e.app.applicant.contact}` : ""}`);
        out.log(`  申请内容 (subject): ${e.app.subject}`);
        for (const ev of e.events) out.log(`  ${ev.date} ${EVENT_KINDS[ev.kind]}${ev.days ? ` ${ev.days}个工作日` : ""}${ev.outcome ? ` ${OUTCOMES[ev.outcome]}` : ""}${ev.result ? ` ${REVIEW_RESULTS[ev.result]}` : ""}${ev.fee ? ` ${ev.fee.amountYuan}元` : ""}`);
        out.log(formatDeadline(d, true));
      });
    });

  const listing = (name: string, description: string, overdueOnly: boolean) => cmd.command(name)
    .description(description)
    .option("--agency <name>", "只看一个机关 (one agency)")
    .option("--as-of <date>", "计算日期")
    .option("--explain", "附期限说明 (with explanations)")
    .option("--overdue", "只列超期 (overdue only)")
    .option("--json", "JSON 输出")
    .option("--db <url>", "数据库")
    .action(async (o) => {
      const asOf = asOfOf(o, setCode);
      if (!asOf) return;
      await withRegister("requests", o.db, setCode, async (reg) => {
        let list = await reg.deadlines({ agency: o.agency, asOf });
        if (overdueOnly || o.overdue) list = list.filter((d) => d.overdue);
        if (o.json) { out.log(JSON.stringify(list, null, 2)); return; }
        if (!list.length) { out.log(overdueOnly || o.overdue ? "没有超期的申请 (nothing overdue)" : "没有办理中的申请 (no open applications)"); return; }
        for (const d of list) out.log(formatDeadline(d, !!(o.explain || name === "due")));
        const overdue = list.filter((d) => d.overdue).length;
        const provisional = list.filter((d) => d.provisional).length;
        out.log(`共 ${list.length} 件办理中，超期 ${overdue} 件${provisional ? `，暂定期限 ${provisional} 件` : ""} (${list.length} open, ${overdue} overdue${provisional ? `, ${provisional} provisional` : ""})`);
      });
    });
  listing("list", "办理中的申请及期限 (open applications and due dates)", false);
  listing("due", "答复期限及说明；--overdue 只列超期 (due dates with explanations)", false);

  cmd.command("table <agency> <year>")
    .description("由登记计算年度报告表三、表四（2021格式），并校验 (tables 三/四 computed from the register, validated)")
    .option("--json", "JSON 输出（字段 id → 数值）")
    .option("--db <url>", "数据库")
    .action(async (agency: string, yearArg: string, o) => {
      const year = Number(yearArg);
      if (!Number.isInteger(year) || year < 2008 || year > 2100) { out.err(`gongkai requests: 年份无效 ${yearArg} (invalid year)`); setCode(2); return; }
      await withRegister("requests", o.db, setCode, async (reg) => {
        const t = await reg.tables(agency, year);
        if (o.json) { out.log(JSON.stringify({ agency, year, format: "2021", fields: t.fields, findings: t.findings, issued: t.issued ?? null, corrections: t.corrections }, null, 2)); }
        else {
          out.log(`${agency} ${year}年度 表三、表四（由登记计算）${t.issued ? `  已于 ${t.issued.on} 发布` : ""}`);
          out.log(drawApplicationTables({ file: "", format: "2021", report_year: year, agency, fields: t.fields, blank: [], ambiguous: [], provenance: {}, issues: [] }));
          if (t.issued) for (const [k, v] of Object.entries(t.fields)) if (t.issued.figures[k] !== v) out.log(`  ${k}: 现为 ${v}，发布时 ${t.issued.figures[k] ?? 0} (now ${v}, ${t.issued.figures[k] ?? 0} as issued)`);
          for (const c of t.corrections) out.log(`  更正 (correction) ${c.recordedOn}：${c.reason} — ${c.changes.map((x) => `${x.field} ${x.before}→${x.after}`).join("，")}`);
          const bad = t.findings.filter((f) => f.severity !== "info");
          out.log(bad.length ? bad.map((f) => `  [${f.rule}] ${f.message}`).join("\n") : "  校验通过 (all identities hold)");
        }
        if (t.findings.some((f) => f.severity === "error")) setCode(1);
      });
    });

  cmd.command("issue <agency> <year>")
    .description("标记年度报告已发布：此后改变该年数字的操作须注明更正理由 (lock an issued year)")
    .requiredOption("--on <date>", "发布日期 (date issued)")
    .option("--db <url>", "数据库")
    .action(async (agency: string, yearArg: string, o) => withRegister("requests", o.db, setCode, async (reg) => {
      if (!isIsoDate(o.on)) return problems([{ code: "DATE", message: `日期无效 ${o.on}`, message_en: "invalid date" }], setCode);
      const r = await reg.issue(agency, Number(yearArg), o.on);
      if (!r.ok) return problems(r.errors, setCode);
      out.log(`${agency} ${yearArg}年度数字已锁定 (locked)，发布日期 ${o.on}`);
    }));

  cmd.command("import <file>")
    .description("从 CSV/XLSX 导入登记：任一行有误则整体拒绝并列出全部错误 (import; all or nothing)")
    .option("--correction-reason <text>", "更改已发布年度数字时的更正理由")
    .option("--correction-on <date>", "更正日期")
    .option("--db <url>", "数据库")
    .action(async (file: string, o) => withRegister("requests", o.db, setCode, async (reg) => {
      const r = await importRegister(reg, file, correctionOpts(o));
      if (!r.ok) {
        out.err(`gongkai requests: ${file}: 导入被拒绝，未保存任何记录 (import rejected, nothing stored): ${r.errors.length} 个问题`);
        for (const p of r.errors) out.err(`  ${formatProblem(p)}`);
        setCode(1);
        return;
      }
      out.log(`已导入 ${r.value.count} 件申请 (imported ${r.value.count} applications) from ${file}`);
      for (const w of r.warnings) out.log(`  ⚠ ${formatProblem(w)}`);
    }));

  cmd.command("export <file>")
    .description("导出登记为 CSV/XLSX（默认不含申请人个人信息）(export; no personal data unless --personal)")
    .option("--agency <name>", "只导出一个机关")
    .option("--personal", "包含申请人个人信息（仅限本机关内部使用）(staff-only copy)")
    .option("--as-of <date>", "计算期限的日期")
    .option("--db <url>", "数据库")
    .action(async (file: string, o) => {
      const asOf = asOfOf(o, setCode);
      if (!asOf) return;
      await withRegister("requests", o.db, setCode, async (reg) => {
        try {
          const n = await exportRegister(reg, file, { agency: o.agency, personal: !!o.personal, asOf });
          out.log(`已导出 ${n} 件 (exported ${n}) to ${file}${o.personal ? "（含个人信息，仅限内部）" : ""}`);
        } catch (e) {
          out.err(`gongkai requests: ${file}: 无法写入 (cannot write: ${(e as Error).message})`);
          setCode(2);
        }
      });
    });

  cmd.command("fee")
    .description("按国办函〔2020〕109号计算信息处理费 (information processing fee)")
    .option("--pages <n>", "按量：一件申请的页数")
    .option("--rank <n>", "按件：同一申请人本月第几件")
    .action((o) => {
      const n = Number(o.pages ?? o.rank);
      if (!Number.isInteger(n) || n < (o.pages !== undefined ? 0 : 1)) { out.err("gongkai requests: 请给出 --pages N 或 --rank N（正整数）(give --pages or --rank)"); setCode(2); return; }
      const q = o.pages !== undefined ? perPageFee(n) : perApplicationFee(n);
      for (const l of q.lines) out.log(`  ${l.band}  ${l.count} × ${l.rateYuan} 元 = ${l.amountYuan} 元`);
      out.log(`合计 ${q.amountYuan} 元（${q.basis}）`);
    });
}
