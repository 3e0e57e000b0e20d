import type { Generation } from "../model/index.js";
import { squeezeText } from "./normalise.js";

/**
 * What a document is, read from its content (never its file name): is it an annual report at
 * all, which template generation, which statistical year, which agency.
 */

/** Statutory-table and title markers; any one makes a text a report candidate. */
const REPORT_TITLE = /政府信息公开[^\n]{0,12}(?:工作)?年度?报告|政府信息公开年报|政务公开[^\n]{0,6}年度报告|信息公开年度报告/;
const TABLE_MARKERS = ["本年新收政府信息公开申请数量", "第二十条第(一)项", "收到和处理政府信息公开申请情况", "本列数据的勾稽关系", "统计指标", "收到申请数", "受理依申请公开信息总数", "主动公开政府信息数", "依申请公开"];

export function isReport(text: string): boolean {
  const head = text.slice(0, 5000);
  if (REPORT_TITLE.test(head)) return true;
  const sq = squeezeText(text).slice(0, 400_000);
  const hits = TABLE_MARKERS.filter((m) => sq.includes(m)).length;
  if (hits >= 2 || (REPORT_TITLE.test(text.slice(0, 200_000)) && hits >= 1)) return true;
  // Prose-only reports without a title: the year's disclosure work with counted items.
  const prose = ["主动公开", "政府信息", "信息公开工作", "依申请公开", "行政复议", "政务公开"].filter((m) => sq.includes(m)).length;
  return prose >= 4 && /主动公开[^。]{0,20}?\d+(?:条|件|项)/.test(sq);
}

/** Structural markers of each generation (spec §1.5); they beat the year. */
const MARKERS: Record<Generation, string[]> = {
  "2021": ["本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额", "逾期不补正", "逾期未按收费通知", "国办公开办函〔2021〕30号"],
  "2019": ["本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减", "其他对外管理服务事项", "第二十条第(九)项", "政府集中采购"],
  pre2019: ["统计指标", "收到申请数", "申请办结数", "申请答复数", "维持具体行政行为数", "否决公开", "指标名称", "历年累计", "受理依申请公开信息总数", "主动公开政府信息数", "对申请的答复总数", "同意公开答复数"],
};
/** Template content shared by 2019 and 2021 (not pre2019). */
const POST2019 = ["本年新收政府信息公开申请数量", "第二十条第(一)项", "收到和处理政府信息公开申请情况", "本列数据的勾稽关系", "结转下年度继续办理"];

export function detectGeneration(text: string, year: number | null): Generation | null {
  const sq = squeezeText(text);
  const score = (g: Generation) => MARKERS[g].filter((m) => sq.includes(m)).length;
  const s21 = score("2021");
  const s19 = score("2019");
  const post = POST2019.filter((m) => sq.includes(m)).length;
  if (post > 0 || s21 + s19 >= 2) {
    if (s21 > s19) return "2021";
    if (s19 > s21) return "2019";
    if (year !== null) return year >= 2021 ? "2021" : year >= 2019 ? "2019" : "2019";
    return "2021";
  }
  // Each marker is a search of the whole text: the pre-2019 ones only when no later template matched.
  if (score("pre2019") >= 1) return "pre2019";
  if (year !== null) return year >= 2021 ? "2021" : year >= 2019 ? "2019" : "pre2019";
  return null;
}

const CN_DIGIT: Record<string, string> = { "〇": "0", "○": "0", "零": "0", "O": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9" };

/** 二〇一九 → 2019, so Chinese-numeral years read like Arabic ones. */
function arabicYears(s: string): string {
  return s.replace(/[二][〇○零O一二三四五六七八九]{3}(?=年)/g, (m) => [...m].map((c) => CN_DIGIT[c] ?? c).join(""));
}

function plausible(y: number): boolean {
  return y >= 2007 && y <= 2100;
}

let titlesOf: { text: string; lines: string[] } | undefined;

/** Title lines of a document: the year and the agency are both read from them. */
function titleLines(text: string): string[] {
  if (titlesOf?.text !== text) titlesOf = { text, lines: titleLinesIn(text) };
  return titlesOf.lines;
}

/** Title lines: an explicit 标题 line, else the first lines that name a report. */
function titleLinesIn(text: string): string[] {
  const lines = text.slice(0, 20000).split("\n").map((l) => l.trim()).filter(Boolean);
  const out: string[] = [];
  for (const l of lines) {
    const m = /^(?:标题|题目|文章标题|中文名|-\s*中文名)[::]\s*(.+)$/.exec(l);
    if (m) out.push(m[1]);
  }
  for (const l of lines.slice(0, 60)) if (REPORT_TITLE.test(l) && l.length < 200) out.push(l);
  // Body's own first sentence often repeats the title.
  const body = lines.find((l) => REPORT_TITLE.test(l));
  if (body) out.push(body.slice(0, 200));
  return out;
}

const TITLE_YEAR = /((?:19|20)\d{2})\s*年度?\s*(?:[^\n年]{0,12}?)政府信息公开|((?:19|20)\d{2})\s*年度?(?:政务公开|信息公开)/;

let yearOf: { text: string; year: number | null } | undefined;

/** The report's statistical year; the prose reader asks it again of the same text. */
export function detectYear(text: string): number | null {
  if (yearOf?.text !== text) yearOf = { text, year: yearIn(text) };
  return yearOf.year;
}

function yearIn(text: string): number | null {
  const t = arabicYears(text);
  // Chinese-numeral years are rewritten within a line, so the title lines of the rewritten text
  // are those of the text, rewritten.
  for (const l of titleLines(text)) {
    const m = TITLE_YEAR.exec(arabicYears(l).replace(/\s+/g, ""));
    if (m) {
      const y = Number(m[1] ?? m[2]);
      if (plausible(y)) return y;
    }
  }
  const sq = t.slice(0, 100_000).replace(/\s+/g, "");
  const period = /统计期限自((?:19|20)\d{2})年/.exec(sq) ?? /((?:19|20)\d{2})年1月1日(?:起)?至\1年12月31日/.exec(sq);
  if (period && plausible(Number(period[1]))) return Number(period[1]);
  const opening = /((?:19|20)\d{2})年度?政府信息公开/.exec(sq) ?? /((?:19|20)\d{2})年(?:度)?[,、,]?(?:我|全|本)/.exec(sq);
  if (opening && plausible(Number(opening[1]))) return Number(opening[1]);
  return null;
}

/** Strips the report part of a title, keeping the publishing body (`…局2019年度政府信息公开…` → `…局`). */
function agencyFromTitle(title: string): string | null {
  const t = arabicYears(title).replace(/\s+/g, "").replace(/^(?:[(\[【（][^)\]】）]{1,8}[)\]】）])+/, "");
  const m = /^(.*?)(?:关于)?(?:(?:19|20)\d{2}年?度?|政府信息公开)/.exec(t);
  const name = m?.[1]?.replace(/^[《“"]/, "").replace(/[的:：,、]$/, "");
  return name && name.length >= 2 && /^[\u4e00-\u9fff()（）]+$/.test(name) ? name : null;
}

/** How names of public bodies end. */
const ORG_END = /(?:政府|局|委|委员会|办公室|办|厅|院|中心|管委会|部|署|会|所|处|队|站|馆|省|市|县|区|州|盟|旗|镇|乡|街道|集团|公司)$/;

/** The title is often only in the page body, possibly broken over lines, after page chrome. */
function agencyFromHead(text: string): string | null {
  const sq = arabicYears(text.slice(0, 4000)).replace(/\s+/g, "");
  const re = /([\u4e00-\u9fff()]{2,40}?)((?:19|20)\d{2})年?度?(?:政府信息公开|政务公开)/g;
  for (let m = re.exec(sq); m; m = re.exec(sq)) {
    let name = m[1];
    // Cut page chrome glued before the name (breadcrumbs, column names).
    const cut = Math.max(...["报告", "专栏", "正文", "内容", "位置", "首页", "概述", "根据", "编制了", "关于"].map((w) => { const i = name.lastIndexOf(w); return i < 0 ? -1 : i + w.length; }));
    if (cut > 0) name = name.slice(cut);
    name = name.replace(/^(?:\([^)]{1,8}\))+/, "");
    if (name.length >= 2 && !/^(?:我|本|全)/.test(name) && ORG_END.test(name)) return name;
  }
  return null;
}

function cleanAgency(s: string | undefined): string | null {
  if (!s) return null;
  const t = s.replace(/\s+/g, "").replace(/[。;；].*$/, "");
  if (t.length < 2 || t.length > 40 || !/[\u4e00-\u9fff]{2}/.test(t) || /本站|原创|网站|转载/.test(t)) return null;
  return t;
}

/** A bare place name (安康市) stands for its government when the text names it (安康市人民政府). */
function governmentOf(name: string, text: string): string {
  if (!/(?:省|市|县|区|州|盟|旗)$/.test(name)) return name;
  // The text without whitespace only when the name is not printed whole as it stands.
  let sq: string | undefined;
  for (const suffix of ["人民政府", "管委会", "管理委员会"]) {
    const full = name + suffix;
    if (text.includes(full) || (sq ??= text.replace(/\s+/g, "")).includes(full)) return full;
  }
  return name;
}

/**
 * The body that signs the report: an organisation name just before the date at its end
 * (`平潭综合实验区财政金融局 2017年1月13日`), cut after the last sentence break glued before it.
 */
function agencyFromSignature(text: string): string | null {
  const tail = arabicYears(text.slice(-400)).replace(/\s+/g, " ");
  const m = /([\u4e00-\u9fff()]{2,40}?) ?(?:19|20)\d{2}年\d{1,2}月\d{1,2}日[^\u4e00-\u9fff\d]*(?:附件下载)?\s*$/.exec(tail);
  if (!m) return null;
  const name = m[1].replace(/^.*[。;；:：!！?？]/, "");
  return name.length >= 4 && ORG_END.test(name) ? name : null;
}

/** `财金局` is an abbreviation of `…财政金融局`: its characters in order, same last character. */
function abbreviates(short: string, long: string): boolean {
  if (short.length >= long.length || short[short.length - 1] !== long[long.length - 1]) return false;
  let i = 0;
  for (const ch of long) if (ch === short[i]) i++;
  return i === short.length;
}

let agencyOf: { text: string; agency: string | null } | undefined;

/** The publishing body; the prose reader asks it again of the same text. */
export function detectAgency(text: string): string | null {
  if (agencyOf?.text !== text) agencyOf = { text, agency: agencyIn(text) };
  return agencyOf.agency;
}

function agencyIn(text: string): string | null {
  const found = detectAgencyHead(text);
  // A title naming the body by an abbreviation yields to the full name it signs with.
  const signed = found && found.length <= 6 ? agencyFromSignature(text) : null;
  return signed && found && abbreviates(found, signed) ? signed : found;
}

function detectAgencyHead(text: string): string | null {
  const head = text.slice(0, 20000);
  const pub = cleanAgency(/(?:^|\n)\s*(?:发布机构|发布单位|-\s*发布单位|发文机关|来源)[::]\s*([^\n]*)/.exec(head)?.[1]?.split(/\s{2,}|时间[::]/)[0]);
  let title: string | null = null;
  for (const l of titleLines(text)) {
    title = agencyFromTitle(l);
    if (title) break;
  }
  title ??= agencyFromHead(head);
  if (pub && title) {
    // The more specific of the two: 区行政审批局 inside 平潭综合实验区行政审批局; 平潭综合实验区 → …管委会办公室.
    if (title.endsWith(pub) || title.includes(pub)) return title;
    if (pub.startsWith(title) || pub.includes(title)) return pub;
    return governmentOf(title, text);
  }
  const one = title ?? pub;
  return one ? governmentOf(one, text) : selfNamed(text);
}

/**
 * Last resort for reports that never print their own name as a title: the report speaks of itself
 * as 我区/本县/我市 and names that place again and again (卫滨区共保留…, 卫滨区在服务大厅…). The
 * place named most often, at least three times, with the same unit as the self-reference, is the
 * reporting government.
 */
function selfNamed(text: string): string | null {
  const self = /(?:我|本|全)(区|县|市)/.exec(text)?.[1];
  if (!self) return null;
  const counts = new Map<string, number>();
  for (const m of text.matchAll(new RegExp(`([\\u4e00-\\u9fa5]{2,4}?${self})(?:人民政府|政府|共|在|按|自|的|各|全|将|已|坚持|围绕|认真)`, "g"))) {
    const name = m[1].replace(/^(?:我|本|全|各|经过|以来|做好|关于)/, "");
    if (name.length < 2 || /^(?:全|各|本|我|该|市|县|区)/.test(name)) continue;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  return best && best[1] >= 3 ? `${best[0]}人民政府` : null;
}
