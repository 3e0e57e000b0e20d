import { isIsoDate, type IsoDate } from "./dates.js";
import { problem, type Problem } from "./problems.js";

/**
 * The register's vocabulary and the replay of an application's dated events into its state.
 * Categories are exactly those of table 三 of the 2021 format, so the annual tables are a count.
 */

/** The 6 applicant columns of table 三 (field id segment, label). */
export const APPLICANT_TYPES = {
  natural: "自然人",
  commercial: "商业企业",
  research: "科研机构",
  nonprofit: "社会公益组织",
  legal: "法律服务机构",
  other: "其他",
} as const;
export type ApplicantType = keyof typeof APPLICANT_TYPES;

/** How the application arrived; decides the receipt-date rule of 第三十一条. */
export const CHANNELS = {
  in_person: "当面",
  registered_mail: "挂号邮寄",
  ordinary_letter: "平常信函",
  online: "网络",
  fax: "传真",
  other: "其他",
} as const;
export type Channel = keyof typeof CHANNELS;

/** 第三十一条: what the receipt date is, per channel (zh, en). */
export const RECEIPT_RULES: Record<Channel, { zh: string; en: string }> = {
  in_person: { zh: "当面提交的，以提交之日为收到申请之日（第三十一条第一项）", en: "submitted in person: the day of submission (art. 31(1))" },
  registered_mail: { zh: "以邮寄方式提交的，以行政机关签收之日为收到申请之日（第三十一条第二项）", en: "by post: the day the office signed for it (art. 31(2))" },
  ordinary_letter: { zh: "以平常信函等无需签收的方式提交的，以与申请人确认之日为收到申请之日（第三十一条第二项）", en: "by ordinary letter: the day receipt was confirmed with the applicant (art. 31(2))" },
  online: { zh: "通过互联网渠道提交的，以双方确认之日为收到申请之日（第三十一条第三项）", en: "online: the day both sides confirmed (art. 31(3))" },
  fax: { zh: "通过传真提交的，以双方确认之日为收到申请之日（第三十一条第三项）", en: "by fax: the day both sides confirmed (art. 31(3))" },
  other: { zh: "其他方式：以登记的收到之日为准", en: "other channel: the recorded day of receipt" },
};

/** The result rows of table 三 (2021), as the `applications.result.<row>` segment. */
export const OUTCOMES = {
  disclosed: "（一）予以公开",
  partial: "（二）部分公开",
  "withheld.state_secret": "不予公开：属于国家秘密",
  "withheld.prohibited_by_law": "不予公开：其他法律行政法规禁止公开",
  "withheld.three_security": "不予公开：危及“三安全一稳定”",
  "withheld.third_party": "不予公开：保护第三方合法权益",
  "withheld.internal_affairs": "不予公开：属于三类内部事务信息",
  "withheld.process_info": "不予公开：属于四类过程性信息",
  "withheld.enforcement_files": "不予公开：属于行政执法案卷",
  "withheld.admin_query": "不予公开：属于行政查询事项",
  "unable.not_held": "无法提供：本机关不掌握相关政府信息",
  "unable.needs_creation": "无法提供：没有现成信息需要另行制作",
  "unable.unclear_after_correction": "无法提供：补正后申请内容仍不明确",
  "not_processed.petition": "不予处理：信访举报投诉类申请",
  "not_processed.duplicate": "不予处理：重复申请",
  "not_processed.publication": "不予处理：要求提供公开出版物",
  "not_processed.mass_repeated": "不予处理：无正当理由大量反复申请",
  "not_processed.reconfirm": "不予处理：要求行政机关确认或重新出具已获取信息",
  "other.no_correction": "其他处理：申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
  "other.unpaid_fee": "其他处理：申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
  "other.other": "其他处理：其他",
} as const;
export type Outcome = keyof typeof OUTCOMES;

export const REVIEW_RESULTS = { upheld: "结果维持", corrected: "结果纠正", other: "其他结果" } as const;
export type ReviewResult = keyof typeof REVIEW_RESULTS;

export const EVENT_KINDS = {
  correction_requested: "要求补正",
  correction_received: "收到补正",
  correction_lapsed: "逾期未补正",
  consultation_started: "征求意见开始",
  consultation_ended: "征求意见结束",
  extension: "延长答复期限",
  fee_notice: "发出收费通知",
  fee_paid: "缴纳费用",
  fee_lapsed: "逾期未缴费",
  answered: "答复",
  reconsideration_filed: "申请行政复议",
  reconsideration_decided: "行政复议结果",
  litigation_filed: "提起行政诉讼",
  litigation_decided: "行政诉讼结果",
} as const;
export type EventKind = keyof typeof EVENT_KINDS;

/** Personal information: shown to the handling agency's staff only, never in tables or public exports. */
export interface Applicant {
  name: string;
  idNumber?: string;
  contact?: string;
}

export interface Application {
  /** The office's own number, unique within the agency (e.g. 2025-0001). */
  id: string;
  /** Handling agency (its code or name in the store). */
  agency: string;
  applicantType: ApplicantType;
  applicant: Applicant;
  channel: Channel;
  /** What is asked for. */
  subject: string;
  /** The receipt date fixed by the 第三十一条 rule of the channel. */
  receivedOn: IsoDate;
}

export interface FeeDetail {
  method: "per_application" | "per_page";
  /** 按量: pages of the information provided. */
  pages?: number;
  /** 按件: which application of this applicant in the calendar month this is (1-based). */
  monthlyRank?: number;
  amountYuan: number;
}

export interface RequestEvent {
  kind: EventKind;
  date: IsoDate;
  /** extension: working days granted. */
  days?: number;
  /** consultation_started: whom (第三方 / 其他机关). */
  party?: "third_party" | "agency";
  fee?: FeeDetail;
  /** answered: the table-三 row. */
  outcome?: Outcome;
  /** *_decided: result. */
  result?: ReviewResult;
  note?: string;
}

export type Status = "open" | "awaiting_correction" | "consulting" | "awaiting_fee" | "closed";
export type RuleSet = "2008" | "2019";

/** The revised 条例 (国务院令第711号) applies to applications received from this day. */
export const RULES_2019_FROM = "2019-05-15";
/** The 2008 条例 (国务院令第492号) came into force on this day. */
export const RULES_2008_FROM = "2008-05-01";

export interface Pause {
  reason: "consultation" | "fee";
  party?: "third_party" | "agency";
  /** The clock stops after this day … */
  from: IsoDate;
  /** … and runs again after this day (absent while the pause is open). */
  to?: IsoDate;
}

export interface Review {
  filedOn: IsoDate;
  decidedOn?: IsoDate;
  result?: ReviewResult;
}

export interface ApplicationState {
  status: Status;
  rules: RuleSet;
  /** The day after which working days are counted: receipt, or the day the correction arrived. */
  clockStart: IsoDate;
  clockStartReason: "receipt" | "correction";
  correction?: { requestedOn: IsoDate; receivedOn?: IsoDate; lapsedOn?: IsoDate };
  pauses: Pause[];
  extension?: { approvedOn: IsoDate; days: number };
  fee?: FeeDetail & { noticeOn: IsoDate; paidOn?: IsoDate; lapsedOn?: IsoDate };
  closedOn?: IsoDate;
  outcome?: Outcome;
  reconsideration?: Review;
  litigation?: Review & { afterReconsideration: boolean };
  warnings: Problem[];
  errors: Problem[];
}

export function rulesFor(receivedOn: IsoDate): RuleSet {
  return receivedOn < RULES_2019_FROM ? "2008" : "2019";
}

/** Base period and longest extension in working days: 20 + 20 (2019), 15 + 15 (2008). */
export function periods(rules: RuleSet): { base: number; maxExtension: number } {
  return rules === "2019" ? { base: 20, maxExtension: 20 } : { base: 15, maxExtension: 15 };
}

/** Checks an application's own fields (not its events). */
export function checkApplication(a: Partial<Application>, where?: string): Problem[] {
  const out: Problem[] = [];
  const p = (code: string, zh: string, en: string) => out.push(problem(code, zh, en, where));
  if (!a.id || !String(a.id).trim()) p("APP-ID", "缺少申请编号", "missing application number");
  if (!a.agency || !String(a.agency).trim()) p("APP-AGENCY", "缺少办理机关", "missing handling agency");
  if (!a.applicantType || !(a.applicantType in APPLICANT_TYPES)) p("APP-TYPE", `申请人类型无效：${a.applicantType ?? "（空）"}`, `invalid applicant type: ${a.applicantType ?? "(empty)"}`);
  if (!a.applicant?.name || !a.applicant.name.trim()) p("APP-NAME", "缺少申请人姓名或名称", "missing applicant name");
  if (!a.channel || !(a.channel in CHANNELS)) p("APP-CHANNEL", `申请渠道无效：${a.channel ?? "（空）"}`, `invalid channel: ${a.channel ?? "(empty)"}`);
  if (!a.subject || !a.subject.trim()) p("APP-SUBJECT", "缺少申请内容", "missing subject of the request");
  if (!isIsoDate(a.receivedOn)) p("APP-DATE", `收到申请日期无效：${a.receivedOn ?? "（空）"}`, `invalid receipt date: ${a.receivedOn ?? "(empty)"}`);
  else if (a.receivedOn < RULES_2008_FROM) p("APP-DATE-EARLY", `收到日期早于《条例》施行日 ${RULES_2008_FROM}`, `receipt date before the regulation came into force (${RULES_2008_FROM})`);
  return out;
}

/** Events in the order they happened (same-day events keep their recorded order). */
export function sortEvents(events: readonly RequestEvent[]): RequestEvent[] {
  return events.map((e, i) => ({ e, i })).sort((a, b) => a.e.date.localeCompare(b.e.date) || a.i - b.i).map(({ e }) => e);
}

/**
 * Replays the events into the application's state. Impossible sequences (an answer before
 * receipt, a second extension, a correction received that was never asked for) are errors;
 * lawful but noteworthy ones (a correction asked for after 7 working days) are warnings, which
 * the caller can only judge with a calendar — see `deadline.ts`.
 */
export function replay(app: Application, events: readonly RequestEvent[]): ApplicationState {
  const rules = rulesFor(app.receivedOn);
  const { maxExtension } = periods(rules);
  const s: ApplicationState = { status: "open", rules, clockStart: app.receivedOn, clockStartReason: "receipt", pauses: [], warnings: [], errors: [] };
  const err = (e: RequestEvent, code: string, zh: string, en: string) => s.errors.push(problem(code, zh, en, `${e.date} ${EVENT_KINDS[e.kind] ?? e.kind}`));
  const close = (date: IsoDate, outcome: Outcome) => {
    for (const p of s.pauses) if (!p.to) p.to = date;
    s.status = "closed";
    s.closedOn = date;
    s.outcome = outcome;
  };
  for (const e of sortEvents(events)) {
    if (!(e.kind in EVENT_KINDS)) { err(e, "EV-KIND", `未知事件类型 ${e.kind}`, `unknown event kind ${e.kind}`); continue; }
    if (!isIsoDate(e.date)) { err(e, "EV-DATE", `事件日期无效 ${e.date}`, `invalid event date ${e.date}`); continue; }
    if (e.date < app.receivedOn) { err(e, "EV-BEFORE-RECEIPT", `事件早于收到申请日期 ${app.receivedOn}`, `event before the receipt date ${app.receivedOn}`); continue; }
    const isReview = e.kind.startsWith("reconsideration") || e.kind.startsWith("litigation");
    if (!isReview && s.status === "closed") { err(e, "EV-AFTER-CLOSE", `申请已于 ${s.closedOn} 办结`, `the application was closed on ${s.closedOn}`); continue; }
    const openPause = s.pauses.find((p) => !p.to);
    switch (e.kind) {
      case "correction_requested":
        if (s.correction) { err(e, "EV-CORRECTION-TWICE", "补正只能要求一次（第三十条）", "a correction may be requested only once (art. 30)"); break; }
        s.correction = { requestedOn: e.date };
        s.status = "awaiting_correction";
        break;
      case "correction_received":
      case "correction_lapsed":
        if (s.status !== "awaiting_correction" || !s.correction) { err(e, "EV-NO-CORRECTION", "没有待补正的要求", "no correction was pending"); break; }
        if (e.kind === "correction_received") {
          s.correction.receivedOn = e.date;
          // 第三十条: the period runs from the day the corrected application arrives.
          s.clockStart = e.date;
          s.clockStartReason = "correction";
          s.pauses = [];
          s.status = "open";
        } else {
          s.correction.lapsedOn = e.date;
          close(e.date, "other.no_correction");
        }
        break;
      case "consultation_started":
        if (s.status === "awaiting_correction") { err(e, "EV-WAITING-CORRECTION", "等待补正期间不能开始征求意见", "cannot consult while a correction is pending"); break; }
        if (openPause) { err(e, "EV-PAUSE-OPEN", "已有未结束的征求意见或收费通知", "a consultation or fee notice is still open"); break; }
        s.pauses.push({ reason: "consultation", party: e.party ?? "third_party", from: e.date });
        s.status = "consulting";
        break;
      case "consultation_ended":
        if (!openPause || openPause.reason !== "consultation") { err(e, "EV-NO-CONSULTATION", "没有进行中的征求意见", "no consultation is open"); break; }
        openPause.to = e.date;
        s.status = "open";
        break;
      case "extension": {
        const days = e.days;
        if (s.extension) { err(e, "EV-EXTENSION-TWICE", "答复期限只能延长一次", "the period may be extended only once"); break; }
        if (typeof days !== "number" || !Number.isInteger(days) || days < 1 || days > maxExtension) {
          err(e, "EV-EXTENSION-DAYS", `延长期限须为 1 至 ${maxExtension} 个工作日（${rules}年规则）`, `an extension must be 1 to ${maxExtension} working days (${rules} rules)`);
          break;
        }
        s.extension = { approvedOn: e.date, days };
        break;
      }
      case "fee_notice":
        if (s.fee) { err(e, "EV-FEE-TWICE", "已发出过收费通知", "a fee notice was already sent"); break; }
        if (openPause) { err(e, "EV-PAUSE-OPEN", "已有未结束的征求意见或收费通知", "a consultation or fee notice is still open"); break; }
        if (!e.fee || !(e.fee.amountYuan > 0)) { err(e, "EV-FEE-AMOUNT", "收费通知须有大于零的金额", "a fee notice needs an amount above zero"); break; }
        s.fee = { ...e.fee, noticeOn: e.date };
        // Time between the fee notice and payment is not counted (国办函〔2020〕109号).
        s.pauses.push({ reason: "fee", from: e.date });
        s.status = "awaiting_fee";
        break;
      case "fee_paid":
      case "fee_lapsed":
        if (s.status !== "awaiting_fee" || !s.fee || !openPause) { err(e, "EV-NO-FEE", "没有待缴的费用", "no fee is pending"); break; }
        openPause.to = e.date;
        if (e.kind === "fee_paid") { s.fee.paidOn = e.date; s.status = "open"; }
        else { s.fee.lapsedOn = e.date; close(e.date, "other.unpaid_fee"); }
        break;
      case "answered":
        if (!e.outcome || !(e.outcome in OUTCOMES)) { err(e, "EV-OUTCOME", `答复须注明办理结果（表三的行）：${e.outcome ?? "（空）"}`, `an answer needs its outcome (a table-三 row): ${e.outcome ?? "(empty)"}`); break; }
        close(e.date, e.outcome);
        break;
      case "reconsideration_filed":
        if (s.reconsideration) { err(e, "EV-REVIEW-TWICE", "已登记行政复议", "a reconsideration is already recorded"); break; }
        s.reconsideration = { filedOn: e.date };
        break;
      case "litigation_filed":
        if (s.litigation) { err(e, "EV-REVIEW-TWICE", "已登记行政诉讼", "a lawsuit is already recorded"); break; }
        s.litigation = { filedOn: e.date, afterReconsideration: !!s.reconsideration };
        break;
      case "reconsideration_decided":
      case "litigation_decided": {
        const r = e.kind === "reconsideration_decided" ? s.reconsideration : s.litigation;
        if (!r) { err(e, "EV-NO-REVIEW", "没有对应的复议或诉讼登记", "no matching reconsideration or lawsuit is recorded"); break; }
        if (r.result) { err(e, "EV-REVIEW-DECIDED", "该复议或诉讼已有结果", "that case already has a result"); break; }
        if (!e.result || !(e.result in REVIEW_RESULTS)) { err(e, "EV-REVIEW-RESULT", `结果须为 维持/纠正/其他：${e.result ?? "（空）"}`, `result must be upheld, corrected or other: ${e.result ?? "(empty)"}`); break; }
        r.decidedOn = e.date;
        r.result = e.result;
        break;
      }
    }
  }
  return s;
}
