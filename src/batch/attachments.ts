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

/** What a page that holds no figures points to: document links, and the pages it shows in frames. */
export interface PageLinks {
  /** Documents linked, or embedded (an iframe or a PDF viewer showing one). */
  documents: Attachment[];
  /** Other pages shown in its frames: many sites show the report's text in an iframe. */
  frames: string[];
}

/** A frame's document: its own address, or the one a PDF viewer is given (`viewer.html?file=…`). */
function framed(src: URL): URL {
  const file = src.searchParams.get("file");
  if (file && DOCUMENT.test(file.split(/[?#]/)[0])) {
    try {
      return new URL(file, src);
    } catch {
      return src;
    }
  }
  return src;
}

/**
 * The document links and frames of an HTML page, resolved against its address; none for anything
 * else. A page saved to disk (a file: address) has only its frames read, and only saved files: a
 * saved page's frames are in its companion folder.
 */
export function pageLinks(bytes: Uint8Array, pageUrl: string): PageLinks {
  const local = pageUrl.startsWith("file:");
  if (local) return { documents: [], frames: frames(bytes, pageUrl, true).frames };
  return frames(bytes, pageUrl, false);
}

function frames(bytes: Uint8Array, pageUrl: string, local: boolean): PageLinks {
  const documents = local ? [] : attachments(bytes, pageUrl);
  let html: string;
  try {
    html = decodeBytes(bytes, pageUrl).text;
  } catch {
    return { documents, frames: [] };
  }
  if (!/<(i?frame|embed|object)\s/i.test(html)) return { documents, frames: [] };
  const $ = cheerio.load(html);
  const frames: string[] = [];
  const seen = new Set(documents.map((d) => d.url));
  $("iframe[src], frame[src], embed[src], object[data]").each((_, el) => {
    const src = $(el).attr("src") ?? $(el).attr("data") ?? "";
    let url: URL;
    try {
      url = framed(new URL(src, pageUrl));
    } catch {
      return;
    }
    if (local ? url.protocol !== "file:" : !/^https?:$/.test(url.protocol)) return;
    url.hash = "";
    if (seen.has(url.href)) return;
    seen.add(url.href);
    const name = decodeURIComponent(url.pathname.split("/").pop() ?? "");
    // An embedded document is the page's content: it counts as naming the report.
    if (DOCUMENT.test(name)) documents.push({ url: url.href, text: name, named: true });
    else frames.push(url.href);
  });
  return { documents, frames };
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

/** The one attachment to read as the page's report: the one naming the report, or the only document. */
export function reportAttachment(links: Attachment[]): Attachment | undefined {
  const named = links.filter((l) => l.named);
  if (named.length === 1) return named[0];
  if (named.length === 0 && links.length === 1) return links[0];
  return undefined;
}
