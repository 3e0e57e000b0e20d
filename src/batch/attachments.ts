import * as cheerio from "cheerio";
import { decodeBytes } from "../parse/decode.js";

/**
 * Many agencies publish the annual report as an attachment: the page itself says little more than
 * 「详见附件」 and links a .pdf, .doc or .docx. For a page read by its address, these are the
 * links that may be the report, the likeliest first.
 */

/** File endings of documents a report may be published as. */
const DOCUMENT = /\.(pdf|ofd|docx?|wps|rtf|xlsx?|et|mht|mhtml)$/i;
/** Words in a link's text or file name that say it is the report itself. */
const REPORT = /年度报告|年报|工作报告/;

export interface Attachment {
  url: string;
  text: string;
  /** The link names the report (年度报告 in its text or file name), not just any document. */
  named: boolean;
}

/** The document links of an HTML page, resolved against its address; [] for anything else. */
export function attachments(bytes: Uint8Array, pageUrl: string): Attachment[] {
  let html: string;
  try {
    html = decodeBytes(bytes, pageUrl).text;
  } catch {
    return [];
  }
  if (!/<a\s/i.test(html)) return [];
  const $ = cheerio.load(html);
  const seen = new Set<string>();
  const out: Attachment[] = [];
  $("a[href]").each((_, a) => {
    let url: URL;
    try {
      url = new URL($(a).attr("href")!, pageUrl);
    } catch {
      return;
    }
    if (!/^https?:$/.test(url.protocol)) return;
    const name = decodeURIComponent(url.pathname.split("/").pop() ?? "");
    const text = $(a).text().replace(/\s+/g, " ").trim();
    // A link whose text ends like a document counts too: many sites link /download?id=… as 「某某.pdf」.
    if (!DOCUMENT.test(name) && !DOCUMENT.test(text)) return;
    url.hash = "";
    if (seen.has(url.href)) return;
    seen.add(url.href);
    out.push({ url: url.href, text, named: REPORT.test(text) || REPORT.test(name) });
  });
  return out;
}

/** The one attachment to read as the page's report, if the page points to exactly one. */
export function reportAttachment(links: Attachment[]): Attachment | undefined {
  const named = links.filter((l) => l.named);
  if (named.length === 1) return named[0];
  if (named.length === 0 && links.length === 1) return links[0];
  return undefined;
}
