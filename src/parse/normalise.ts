import { CodeUnitSet } from "./codeunits.js";
import { lazy } from "./lazy.js";

const opencc = lazy<typeof import("opencc-js/t2cn")>("opencc-js/t2cn");

/**
 * Text normalisation shared by every reader (spec §1.4): traditional → simplified (characters,
 * then the few Taiwan terms reports use: 規範性檔案 → 规范性文件, 資訊 → 信息, 網路 → 网络), full-width digits,
 * letters and punctuation to ASCII, odd spaces folded. Offsets are not preserved one-to-one, so
 * provenance offsets refer to the normalised text.
 */

type Converter = (s: string) => string;
let t2s: Converter | undefined;
function converter(): Converter {
  // Characters only: OpenCC's Taiwan phrase table (twp) rewrites mainland words written in
  // traditional characters (文件 → 文档, 指標 → 指针), so the Taiwan terms are mapped below instead.
  t2s ??= opencc().Converter({ from: "t", to: "cn" }) as Converter;
  return t2s;
}

/** Taiwan terms for what the templates call otherwise (spec §1.4 step 3); 档案 alone stays (archives). */
const VOCABULARY: [RegExp, string][] = [
  [/规范性档案/g, "规范性文件"],
  [/资讯/g, "信息"],
  [/网路/g, "网络"],
  [/软体/g, "软件"],
];

/** Characters that differ between traditional and simplified and are common in reports. */
const TRADITIONAL_HINT = new CodeUnitSet(Array.from("這個們來時會對發說於與爲為國開關機實體與報資訊網檔規範條據務請審處輸權結轉總計類屬應並說議訴複", (ch) => ch.charCodeAt(0)));

/**
 * Does the text look traditional (one of the hint characters)? Decide once for a whole document,
 * then convert its pieces with `force`. A bitset lookup per character: a regular expression with
 * this character class scans six times slower, and whole pages are scanned.
 */
export function looksTraditional(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (TRADITIONAL_HINT.has(text.charCodeAt(i))) return true;
  return false;
}

/** `force`: convert even without a hint character (a short cell of a traditional document: 減2, 補充數). */
export function toSimplified(text: string, force = false): string {
  if (!force && !looksTraditional(text)) return text;
  let out = converter()(text);
  for (const [re, to] of VOCABULARY) out = out.replace(re, to);
  return out;
}

const FULLWIDTH: Record<string, string> = {
  "（": "(", "）": ")", "：": ":", "，": ",", "．": ".", "；": ";", "／": "/", "－": "-", "＋": "+",
  "％": "%", "＝": "=", "＠": "@", "｜": "|", "〔": "〔", "【": "[", "】": "]", "“": "\"", "”": "\"",
  "「": "\"", "」": "\"", "『": "\"", "』": "\"", "‘": "'", "’": "'", "　": " ", "\u00a0": " ",
  "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "",
  "\u2060": "", "\u00ad": "", "﹑": "、", "—": "—", "–": "-", "−": "-",
};

const FOLDABLE = new RegExp(`[\\uff01-\\uff5e${Object.keys(FULLWIDTH).filter((k) => FULLWIDTH[k] !== k).join("")}]`, "g");

/** Full-width ASCII forms (digits, letters, punctuation) and the listed look-alikes to their plain forms. */
export function foldWidth(text: string): string {
  return text.replace(FOLDABLE, (ch) => {
    const code = ch.charCodeAt(0);
    return code >= 0xff01 && code <= 0xff5e ? String.fromCharCode(code - 0xfee0) : FULLWIDTH[ch];
  });
}

/**
 * Document-level normalisation: simplified characters, folded widths, unified line ends.
 * `traditional`: whether to convert characters, when the caller has decided it for a whole document.
 */
export function normaliseText(text: string, traditional = looksTraditional(text)): string {
  return foldWidth(traditional ? toSimplified(text, true) : text).replace(/\r\n?/g, "\n");
}

/** Ordinal prefixes: 一、 (一) 1. 1、 其中: — stripped when matching labels with and without them. */
const ORDINAL = /^(?:其中:?)?(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d{1,2}(?:\.|、)(?!\d))/;

/** Pinyin annotations inserted by some mirrors: a toned syllable in parentheses (spec §1.4 step 2). */
const PINYIN = /\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)/g;

const keys = new Map<string, string>();

/**
 * Canonical form of a label for dictionary matching: normalised text, no whitespace, no pinyin,
 * 、 and , equal, one quote form.
 */
export function labelKey(label: string): string {
  let key = keys.get(label);
  if (key === undefined) {
    key = normaliseText(label)
      .replace(PINYIN, "")
      .replace(/\s+/g, "")
      .replace(/[,，]/g, "、")
      .replace(/["']/g, "\"");
    // Table readers ask for the same cells and dictionary labels again and again.
    if (keys.size >= 20_000) keys.clear();
    keys.set(label, key);
  }
  return key;
}

/** The label key without its leading ordinal(s). */
export function stripOrdinal(key: string): string {
  let k = key;
  for (let i = 0; i < 3; i++) {
    const m = ORDINAL.exec(k);
    if (!m || m[0].length === 0) break;
    k = k.slice(m[0].length);
  }
  return k;
}

let squeezedOf: { text: string; squeezed: string } | undefined;

/**
 * The text without whitespace and cell bars (`|`), for finding markers that a line break or a
 * table cell may split. Detection and the truncation check ask it of the same document in turn.
 */
export function squeezeText(text: string): string {
  if (squeezedOf?.text !== text) squeezedOf = { text, squeezed: text.replace(/[\s|]+/g, "") };
  return squeezedOf.squeezed;
}

/** Code units `squeezeText` removes (what /[\s|]/ matches), as a table: one lookup per character. */
const SQUEEZED_OUT = new CodeUnitSet(Array.from({ length: 65536 }, (_, c) => c).filter((c) => /[\s|]/.test(String.fromCharCode(c))));

/** `squeezeText` with the offset in `text` of every character kept. */
export function squeezeWithOffsets(text: string): { c: string; map: Int32Array } {
  const c = squeezeText(text);
  return { c, map: keptOffsets(text, c.length) };
}

/**
 * The loop on its own: inside squeezeWithOffsets, V8 compiled it on the stack during the first call
 * and then left that code at every later call through a deoptimisation (the object literal after
 * the loop had no type feedback): once per pre-2019 report, with the rest run interpreted.
 */
function keptOffsets(text: string, kept: number): Int32Array {
  const map = new Int32Array(kept);
  let n = 0;
  for (let i = 0; i < text.length; i++) if (!SQUEEZED_OUT.has(text.charCodeAt(i))) map[n++] = i;
  return map;
}
