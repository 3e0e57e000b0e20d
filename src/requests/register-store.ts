import type { Kysely } from "kysely";
import type { FieldId, Finding } from "../model/index.js";
import { openStore, resolveDbUrl, type Store } from "../store/index.js";
import { validate } from "../validate/index.js";
import { WorkCalendar, checkCalendarYear, type CalendarYearData } from "./calendar.js";
import { readCalendarDir } from "./calendar-data.js";
import { isIsoDate, type IsoDate } from "./dates.js";
import { computeDeadline, type Deadline } from "./deadline.js";
import { requestsMigrations, type RequestTables } from "./migrations.js";
import { fail, ok, problem, type Problem, type Result } from "./problems.js";
import { checkApplication, replay, type Application, type ApplicationState, type RequestEvent, type ApplicantType, type Channel } from "./register.js";
import { computeTables, diffTables, tablesAsReport } from "./tables.js";

/**
 * The register on the store (SQLite or PostgreSQL). Every change is checked by replaying the
 * application's events, and against the agency's locked years: a change that would alter an
 * issued year's figures is refused, or, with a reason, recorded as a dated correction.
 */

export interface Entry {
  app: Application;
  events: RequestEvent[];
  state: ApplicationState;
}

export interface ChangeOptions {
  /** Accept a change to an issued year's figures, recorded with this reason and date. */
  correction?: { reason: string; on: IsoDate };
}

export interface CorrectionRecord {
  year: number;
  recordedOn: IsoDate;
  reason: string;
  changes: { field: FieldId; before: number; after: number }[];
}

export interface Redating {
  agency: string;
  id: string;
  before?: IsoDate;
  after?: IsoDate;
  provisionalBefore: boolean;
  provisionalAfter: boolean;
}

type DB = Kysely<RequestTables & { agencies: { id: import("kysely").Generated<number>; name: string; level: string | null; parent_id: number | null; created_at: string } }>;

const now = () => new Date().toISOString();

/** Rolls a transaction back with the problems that refused it. */
class Abort extends Error {
  constructor(readonly problems: Problem[]) { super("aborted"); }
}

export async function openRegister(url: string = resolveDbUrl(), opts: { calendarDir?: string } = {}): Promise<RequestRegister> {
  const store = await openStore(url, { migrations: requestsMigrations });
  return new RequestRegister(store, opts.calendarDir);
}

export class RequestRegister {
  private readonly db: DB;

  constructor(readonly store: Store, private readonly calendarDir?: string) {
    this.db = store.as<RequestTables>() as unknown as DB;
  }

  close(): Promise<void> {
    return this.store.close();
  }

  // ---- calendar ----

  /** Shipped years, overridden or extended by the years an administrator stored. */
  async calendar(): Promise<WorkCalendar> {
    let cal = WorkCalendar.of(readCalendarDir(this.calendarDir));
    const rows = await this.db.selectFrom("request_calendar_years").selectAll().orderBy("year").execute();
    for (const r of rows) cal = cal.withYear(JSON.parse(r.data_json) as CalendarYearData);
    return cal;
  }

  /** Adds or replaces a year; returns how every open application's due date moved. */
  async addCalendarYear(raw: unknown, asOf: IsoDate): Promise<Result<Redating[]>> {
    const checked = checkCalendarYear(raw);
    if (!checked.ok) return checked;
    return this.changeCalendar(checked.value, asOf);
  }

  async setCalendarDay(date: IsoDate, kind: "holiday" | "makeup" | "normal", name: string, notice: string, asOf: IsoDate): Promise<Result<Redating[]>> {
    const cal = await this.calendar();
    const next = cal.withDay(date, kind, name, notice);
    if (!next.ok) return next;
    return this.changeCalendar(next.value.year(Number(date.slice(0, 4)))!, asOf);
  }

  private async changeCalendar(year: CalendarYearData, asOf: IsoDate): Promise<Result<Redating[]>> {
    const before = await this.calendar();
    const after = before.withYear(year);
    const open = (await this.entries()).filter((e) => e.state.status !== "closed");
    await this.db.deleteFrom("request_calendar_years").where("year", "=", year.year).execute();
    await this.db.insertInto("request_calendar_years").values({ year: year.year, data_json: JSON.stringify(year), updated_at: now() }).execute();
    const changes: Redating[] = [];
    for (const e of open) {
      const b = computeDeadline(e.app, e.state, before, asOf);
      const a = computeDeadline(e.app, e.state, after, asOf);
      if (b.due !== a.due || b.provisional !== a.provisional) {
        changes.push({ agency: e.app.agency, id: e.app.id, before: b.due, after: a.due, provisionalBefore: b.provisional, provisionalAfter: a.provisional });
      }
    }
    return ok(changes);
  }

  // ---- agencies ----

  private async agencyId(db: DB, name: string, create: boolean): Promise<number | undefined> {
    const row = await db.selectFrom("agencies").select("id").where("name", "=", name).executeTakeFirst();
    if (row) return row.id;
    if (!create) return undefined;
    const ins = await db.insertInto("agencies").values({ name, level: null, parent_id: null, created_at: now() }).returning("id").executeTakeFirstOrThrow();
    return ins.id;
  }

  // ---- reading ----

  /** Every application with its events and state; one agency or all. */
  async entries(agency?: string, db: DB = this.db): Promise<Entry[]> {
    let q = db.selectFrom("request_applications as a").innerJoin("agencies as g", "g.id", "a.agency_id").selectAll("a").select("g.name as agency_name");
    if (agency !== undefined) q = q.where("g.name", "=", agency);
    const apps = await q.orderBy("a.received_on").orderBy("a.id").execute();
    if (!apps.length) return [];
    const events = await db.selectFrom("request_events").selectAll().where("application_id", "in", apps.map((a) => a.id)).orderBy("id").execute();
    const byApp = new Map<number, RequestEvent[]>();
    for (const e of events) byApp.set(e.application_id, [...(byApp.get(e.application_id) ?? []), { ...(JSON.parse(e.data_json) as object), kind: e.kind, date: e.date } as RequestEvent]);
    return apps.map((a) => {
      const app: Application = {
        id: a.number, agency: a.agency_name, applicantType: a.applicant_type as ApplicantType, channel: a.channel as Channel, subject: a.subject, receivedOn: a.received_on,
        applicant: { name: a.applicant_name, ...(a.applicant_id_number ? { idNumber: a.applicant_id_number } : {}), ...(a.applicant_contact ? { contact: a.applicant_contact } : {}) },
      };
      const evs = byApp.get(a.id) ?? [];
      return { app, events: evs, state: replay(app, evs) };
    });
  }

  async get(agency: string, id: string): Promise<Entry | undefined> {
    return (await this.entries(agency)).find((e) => e.app.id === id);
  }

  /** Deadlines of open applications (or all), soonest first. */
  async deadlines(opts: { agency?: string; asOf: IsoDate; includeClosed?: boolean }): Promise<(Deadline & { agency: string })[]> {
    const cal = await this.calendar();
    const out = (await this.entries(opts.agency))
      .filter((e) => opts.includeClosed || e.state.status !== "closed")
      .map((e) => ({ ...computeDeadline(e.app, e.state, cal, opts.asOf), agency: e.app.agency }));
    return out.sort((a, b) => (a.due ?? "9999").localeCompare(b.due ?? "9999") || a.applicationId.localeCompare(b.applicationId));
  }

  /** Tables 三/四 of one agency's year, with the validator's findings (the previous year enables continuity checks). */
  async tables(agency: string, year: number): Promise<{ fields: Record<FieldId, number>; findings: Finding[]; issued?: { on: IsoDate; figures: Record<FieldId, number> }; corrections: CorrectionRecord[] }> {
    const entries = await this.entries(agency);
    const fields = computeTables(entries, year);
    const previous = tablesAsReport(computeTables(entries, year - 1), year - 1, agency);
    const findings = validate(tablesAsReport(fields, year, agency), { previous });
    const id = await this.agencyId(this.db, agency, false);
    const lock = id === undefined ? undefined : await this.db.selectFrom("request_locks").selectAll().where("agency_id", "=", id).where("year", "=", year).executeTakeFirst();
    const corrections = id === undefined ? [] : await this.corrections(id, year);
    return { fields, findings, ...(lock ? { issued: { on: lock.issued_on, figures: JSON.parse(lock.figures_json) } } : {}), corrections };
  }

  private async corrections(agencyId: number, year: number): Promise<CorrectionRecord[]> {
    const rows = await this.db.selectFrom("request_corrections").selectAll().where("agency_id", "=", agencyId).where("year", "=", year).orderBy("id").execute();
    return rows.map((r) => ({ year: r.year, recordedOn: r.recorded_on, reason: r.reason, changes: JSON.parse(r.changes_json) }));
  }

  // ---- locking ----

  /** Marks a year's report as issued: its figures are frozen from now on. */
  async issue(agency: string, year: number, issuedOn: IsoDate): Promise<Result<Record<FieldId, number>>> {
    const id = await this.agencyId(this.db, agency, true);
    const t = await this.tables(agency, year);
    const errors = t.findings.filter((f) => f.severity === "error");
    if (errors.length) return fail(errors.map((f) => problem(f.rule, f.message, f.message_en ?? f.message)));
    if (t.issued) return fail([problem("LOCK-EXISTS", `${agency} ${year}年度报告已于 ${t.issued.on} 发布`, `the ${year} report of ${agency} was already issued on ${t.issued.on}`)]);
    await this.db.insertInto("request_locks").values({ agency_id: id!, year, issued_on: issuedOn, figures_json: JSON.stringify(t.fields) }).execute();
    return ok(t.fields);
  }

  /**
   * Runs a change inside a transaction after checking the agency's issued years: the figures of
   * each such year before and after the change are compared; any difference is refused unless a
   * correction reason is given, in which case it is recorded.
   */
  private async guarded<T>(agency: string, simulate: (entries: Entry[]) => Entry[], write: (db: DB, agencyId: number) => Promise<T>, opts: ChangeOptions): Promise<Result<{ value: T; corrections: CorrectionRecord[] }>> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const r = await this.guardedIn(trx, agency, simulate, write, opts);
        if (!r.ok) throw new Abort(r.errors);
        return r;
      });
    } catch (e) {
      if (e instanceof Abort) return fail(e.problems);
      throw e;
    }
  }

  /** The check and write of `guarded`, inside a caller's transaction (several agencies, all or nothing). */
  private async guardedIn<T>(trx: DB, agency: string, simulate: (entries: Entry[]) => Entry[], write: (db: DB, agencyId: number) => Promise<T>, opts: ChangeOptions): Promise<Result<{ value: T; corrections: CorrectionRecord[] }>> {
    const agencyId = (await this.agencyId(trx, agency, true))!;
    const locks = await trx.selectFrom("request_locks").select(["year", "issued_on"]).where("agency_id", "=", agencyId).execute();
    const records: CorrectionRecord[] = [];
    if (locks.length) {
      const before = await this.entries(agency, trx);
      const after = simulate(before);
      for (const l of locks) {
        const changes = diffTables(computeTables(before, l.year), computeTables(after, l.year));
        if (!changes.length) continue;
        if (!opts.correction) {
          return fail([problem("LOCKED-YEAR",
            `${agency} ${l.year}年度报告已于 ${l.issued_on} 发布，此更改会改变其数字（${changes.map((c) => `${c.field}: ${c.before}→${c.after}`).join("，")}）；如确需更正，请注明更正理由`,
            `the ${l.year} report of ${agency} was issued on ${l.issued_on}; this change would alter its figures; give a correction reason to record it as a dated correction`)]);
        }
        records.push({ year: l.year, recordedOn: opts.correction.on, reason: opts.correction.reason, changes });
      }
    }
    const value = await write(trx, agencyId);
    for (const r of records) {
      await trx.insertInto("request_corrections").values({ agency_id: agencyId, year: r.year, recorded_on: r.recordedOn, reason: r.reason, changes_json: JSON.stringify(r.changes) }).execute();
    }
    return ok({ value, corrections: records });
  }

  // ---- writing ----

  async addApplication(app: Application, opts: ChangeOptions = {}, events: RequestEvent[] = []): Promise<Result<{ deadline: Deadline; corrections: CorrectionRecord[] }>> {
    return this.addApplications([{ app, events }], opts).then((r) => r.ok ? ok({ deadline: r.value.deadlines[0], corrections: r.value.corrections }, r.warnings) : r);
  }

  /**
   * Adds applications (with their events) all or nothing: every problem of every one is listed,
   * and nothing is stored unless all are sound.
   */
  async addApplications(items: { app: Application; events: RequestEvent[]; where?: string }[], opts: ChangeOptions = {}, mode: { dryRun?: boolean } = {}): Promise<Result<{ deadlines: Deadline[]; corrections: CorrectionRecord[] }>> {
    const errors: Problem[] = [];
    const warnings: Problem[] = [];
    const cal = await this.calendar();
    const asOf = new Date().toISOString().slice(0, 10);
    const seen = new Set<string>();
    const deadlines: Deadline[] = [];
    for (const { app, events, where } of items) {
      const w = where ?? app.id;
      errors.push(...checkApplication(app, w));
      const key = `${app.agency}\u0000${app.id}`;
      if (seen.has(key)) errors.push(problem("APP-DUPLICATE", `申请编号重复：${app.id}`, `duplicate application number: ${app.id}`, w));
      seen.add(key);
      if (errors.some((e) => e.where === w)) continue;
      const existing = await this.db.selectFrom("request_applications as a").innerJoin("agencies as g", "g.id", "a.agency_id").select("a.id").where("g.name", "=", app.agency).where("a.number", "=", app.id).executeTakeFirst();
      if (existing) { errors.push(problem("APP-EXISTS", `申请编号已登记：${app.id}`, `application number already registered: ${app.id}`, w)); continue; }
      const state = replay(app, events);
      errors.push(...state.errors.map((e) => ({ ...e, where: `${w} ${e.where ?? ""}`.trim() })));
      const d = computeDeadline(app, state, cal, asOf);
      warnings.push(...d.warnings.map((x) => ({ ...x, where: w })));
      deadlines.push(d);
    }
    if (errors.length) return fail(errors, warnings);
    if (mode.dryRun) return ok({ deadlines, corrections: [] }, warnings);
    const byAgency = new Map<string, typeof items>();
    for (const it of items) byAgency.set(it.app.agency, [...(byAgency.get(it.app.agency) ?? []), it]);
    const corrections: CorrectionRecord[] = [];
    try {
      await this.db.transaction().execute(async (trx) => {
        for (const [agency, list] of byAgency) {
          // Each agency is checked against its own issued years; one refusal rolls back all.
          const r = await this.guardedIn(trx, agency,
        (entries) => [...entries, ...list.map(({ app, events }) => ({ app, events, state: replay(app, events) }))],
        async (db, agencyId) => {
          for (const { app, events } of list) {
            const row = await db.insertInto("request_applications").values({
              agency_id: agencyId, number: app.id, applicant_type: app.applicantType, applicant_name: app.applicant.name,
              applicant_id_number: app.applicant.idNumber ?? null, applicant_contact: app.applicant.contact ?? null,
              channel: app.channel, subject: app.subject, received_on: app.receivedOn, created_at: now(),
            }).returning("id").executeTakeFirstOrThrow();
            for (const e of events) await this.insertEvent(db, row.id, e);
          }
        }, opts);
          if (!r.ok) throw new Abort(r.errors);
          corrections.push(...r.value.corrections);
        }
      });
    } catch (e) {
      if (e instanceof Abort) return fail(e.problems, warnings);
      throw e;
    }
    return ok({ deadlines, corrections }, warnings);
  }

  private async insertEvent(db: DB, applicationId: number, e: RequestEvent): Promise<void> {
    const { kind, date, ...data } = e;
    await db.insertInto("request_events").values({ application_id: applicationId, kind, date, data_json: JSON.stringify(data), recorded_at: now() }).execute();
  }

  /** Records one dated event; refused when the sequence would be impossible or a locked year would change silently. */
  async addEvent(agency: string, id: string, event: RequestEvent, asOf: IsoDate, opts: ChangeOptions = {}): Promise<Result<{ deadline: Deadline; corrections: CorrectionRecord[] }>> {
    if (!isIsoDate(event.date)) return fail([problem("EV-DATE", `事件日期无效：${event.date}`, `invalid event date: ${event.date}`)]);
    const entry = await this.get(agency, id);
    if (!entry) return fail([problem("APP-NOT-FOUND", `未找到申请：${agency} ${id}`, `no such application: ${agency} ${id}`)]);
    const events = [...entry.events, event];
    const state = replay(entry.app, events);
    if (state.errors.length > entry.state.errors.length) return fail(state.errors.slice(entry.state.errors.length));
    const r = await this.guarded(agency,
      (entries) => entries.map((e) => (e.app.id === id ? { app: e.app, events, state } : e)),
      async (db) => {
        const row = await db.selectFrom("request_applications as a").innerJoin("agencies as g", "g.id", "a.agency_id").select("a.id").where("g.name", "=", agency).where("a.number", "=", id).executeTakeFirstOrThrow();
        await this.insertEvent(db, row.id, event);
      }, opts);
    if (!r.ok) return r;
    const d = computeDeadline(entry.app, state, await this.calendar(), asOf);
    return ok({ deadline: d, corrections: r.value.corrections }, d.warnings);
  }

  async correctionsFor(agency: string, year: number): Promise<CorrectionRecord[]> {
    const id = await this.agencyId(this.db, agency, false);
    return id === undefined ? [] : this.corrections(id, year);
  }
}
