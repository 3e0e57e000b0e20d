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
  const documents: Attachment[] = [];
  const frames: string[] = [];
  const local = pageUrl.startsWith("file:");
  let html: string;
  try {
    html = decodeBytes(bytes, pageUrl).text;
  } catch {
    return { documents, frames };
  }
  const anchors = !local && /<a\s/i.test(html);
  if (!anchors && !/<(i?frame|embed|object)\s/i.test(html)) return { documents, frames };
  const $ = cheerio.load(html);
  const seen = new Set<string>();
  /** The link's address without its fragment, once; undefined for another scheme or a bad address. */
  const resolved = (href: string, frame: boolean): URL | undefined => {
    let url: URL;
    try {
      url = new URL(href, pageUrl);
      if (frame) url = framed(url);
    } catch {
      return undefined;
    }
    if (local ? url.protocol !== "file:" : !/^https?:$/.test(url.protocol)) return undefined;
    url.hash = "";
    return url;
  };
  const fileName = (url: URL) => decodeURIComponent(url.pathname.split("/").pop() ?? "");
  if (anchors) {
    $("a[href]").each((_, a) => {
      const url = resolved($(a).attr("href")!, false);
      if (!url) return;
      const name = fileName(url);
      const text = $(a).text().replace(/\s+/g, " ").trim();
      // A link whose text ends like a document counts too: many sites link /download?id=… as 「某某.pdf」.
      if ((!DOCUMENT.test(name) && !DOCUMENT.test(text)) || seen.has(url.href)) return;
      seen.add(url.href);
      documents.push({ url: url.href, text, named: REPORT.test(text) || REPORT.test(name) });
    });
  }
  $("iframe[src], frame[src], embed[src], object[data]").each((_, el) => {
    const url = resolved($(el).attr("src") ?? $(el).attr("data") ?? "", true);
    if (!url || seen.has(url.href)) return;
    seen.add(url.href);
    const name = fileName(url);
    // An embedded document is the page's content: it counts as naming the report.
    if (DOCUMENT.test(name)) documents.push({ url: url.href, text: name, named: true });
    else frames.push(url.href);
  });
  return { documents, frames };
}

/** The one attachment to read as the page's report: the one naming the report, or the only document. */
export function reportAttachment(links: Attachment[]): Attachment | undefined {
  const named = links.filter((l) => l.named);
  if (named.length === 1) return named[0];
  if (named.length === 0 && links.length === 1) return links[0];
  return undefined;
}
