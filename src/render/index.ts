import iconv from "iconv-lite";
import * as OpenCC from "opencc-js/cn2t";
import { blocksToHtml, blocksToWordHtml } from "./html.js";
import { reportLayout, type ReportModel, type ValueOptions } from "./layout.js";
import { blocksToText, TEXT_STYLES, type TextStyle } from "./text.js";

/**
 * Report output: a report model (fields of one generation, year, agency) written as the
 * statutory tables of its generation, in the official layout (spec §2.2, §2.4, §3.2–3.4, §4).
 * Pure functions; labels come from data/fields.json and layout.json. Besides clean HTML, the
 * renderer writes the "mangled" forms real sites and extractors produce (spec §7), which the
 * round-trip tests feed back to the parser.
 */

export type { ReportModel, Block, LayoutCell, ValueOptions } from "./layout.js";
export { reportLayout, formatValue, pre2019Table, fujianLabelOverrides } from "./layout.js";
export { TEXT_STYLES, type TextStyle } from "./text.js";

export interface RenderOptions extends ValueOptions {
  /** Traditional characters (OpenCC cn→tw), as Taiwan/HK-style mirrors print them (S1). */
  traditional?: boolean;
}

/** Every output form: the clean HTML document, Word-exported HTML and the flattened text styles. */
export const FORMS = ["html", "word-html", ...TEXT_STYLES] as const;
export type Form = (typeof FORMS)[number];

let toTraditional: ((s: string) => string) | undefined;
function traditional(s: string): string {
  toTraditional ??= OpenCC.Converter({ from: "cn", to: "tw" }) as (s: string) => string;
  return toTraditional(s);
}

function finish(s: string, opts: RenderOptions): string {
  return opts.traditional ? traditional(s) : s;
}

/** A complete, well-formed HTML document: headings 一、…六、, short prose, real rowspan/colspan tables. */
export function renderHtml(report: ReportModel, opts: RenderOptions = {}): string {
  return finish(blocksToHtml(reportLayout(report, opts), "utf-8"), opts);
}

/** The report as flattened text, or (`word-html`) as the HTML Word exports. */
export function renderText(report: ReportModel, style: TextStyle | "word-html", opts: RenderOptions = {}): string {
  const blocks = reportLayout(report, opts);
  return finish(style === "word-html" ? blocksToWordHtml(blocks, "utf-8") : blocksToText(blocks, style), opts);
}

/** Any form as a string. */
export function render(report: ReportModel, form: Form, opts: RenderOptions = {}): string {
  return form === "html" ? renderHtml(report, opts) : renderText(report, form, opts);
}

/**
 * Any form as file bytes: UTF-8, or GBK as older Chinese sites serve (HTML forms then declare
 * `charset=gbk`). Characters GBK lacks would be lost, so the text is checked first.
 */
export function renderBytes(report: ReportModel, form: Form, opts: RenderOptions & { encoding?: "utf-8" | "gbk" } = {}): Uint8Array {
  let s = render(report, form, opts);
  if (opts.encoding !== "gbk") return new Uint8Array(Buffer.from(s, "utf8"));
  s = s.replace(/charset=(?:"?)utf-8/i, (m) => m.replace(/utf-8/i, "gbk"));
  const bytes = iconv.encode(s, "gbk");
  if (iconv.decode(bytes, "gbk") !== s) throw new Error("render: text has characters GBK cannot encode");
  return new Uint8Array(bytes);
}
