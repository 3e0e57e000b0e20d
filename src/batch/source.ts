import { readFileSync } from "node:fs";
import { dirname, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { readMember, splitMember } from "./bundle.js";
import type { ParsedReport } from "../model/index.js";
import { InputError, parseReport } from "../parse/index.js";
import { MAX_DOCUMENT_BYTES } from "../parse/decode.js";

/**
 * Reports as published: an `http(s)://` address is read from the web, the same as a file saved
 * from it (the bytes decide the format and the encoding, not the address or the server's
 * headers). A journalist can parse an agency's page or attachment without saving it first.
 */

export const isUrl = (source: string): boolean => /^https?:\/\//i.test(source);

export interface DownloadOptions {
  maxBytes?: number;
  /** For the whole download, body included. */
  timeoutMs?: number;
}

// Some government sites answer a bare client with an error page; this says who is asking.
const HEADERS = { "user-agent": "Mozilla/5.0 (compatible; gongkai)", accept: "*/*" };

/** Network failures by their code, in words. */
const NETWORK: Record<string, string> = {
  ECONNREFUSED: "连接被拒绝 (connection refused)",
  ENOTFOUND: "域名无法解析 (host not found)",
  EAI_AGAIN: "域名暂时无法解析 (host lookup failed, try again)",
  ECONNRESET: "连接被服务器中断 (connection reset by the server)",
  UND_ERR_SOCKET: "连接被服务器中断 (connection closed by the server)",
  EHOSTUNREACH: "主机不可达 (host unreachable)",
  ENETUNREACH: "网络不可达 (network unreachable)",
  CERT_HAS_EXPIRED: "网站证书已过期 (the site's TLS certificate has expired)",
  // Many sites send their certificate without the intermediate one browsers fetch for themselves.
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "网站证书链不完整，无法验证；可用 NODE_EXTRA_CA_CERTS 加入所缺证书 (the site's certificate chain cannot be verified; add the missing certificate with NODE_EXTRA_CA_CERTS)",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "网站证书链不完整，无法验证；可用 NODE_EXTRA_CA_CERTS 加入所缺证书 (the site's certificate chain cannot be verified; add the missing certificate with NODE_EXTRA_CA_CERTS)",
  DEPTH_ZERO_SELF_SIGNED_CERT: "网站证书为自签名 (the site's TLS certificate is self-signed)",
  SELF_SIGNED_CERT_IN_CHAIN: "网站证书链含自签名证书 (the site's certificate chain holds a self-signed certificate)",
  ERR_TLS_CERT_ALTNAME_INVALID: "网站证书与域名不符 (the site's certificate is for another host)",
};

function failure(url: string, e: unknown, timeoutMs: number): InputError {
  if (e instanceof InputError) return e;
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err?.name === "TimeoutError" || err?.name === "AbortError") {
    return new InputError("UNREADABLE", `${url}: 下载超时 (download timed out after ${timeoutMs / 1000}s)`);
  }
  const code = err?.cause?.code;
  if (code && NETWORK[code]) return new InputError("UNREADABLE", `${url}: 无法下载，${NETWORK[code]}`);
  return new InputError("UNREADABLE", `${url}: 无法下载 (cannot download: ${code ?? err?.cause?.message ?? err?.message ?? String(e)})`);
}

type Undici = typeof import("undici");
let undici: Promise<Undici> | undefined;
let proxy: { key: string; agent: InstanceType<Undici["EnvHttpProxyAgent"]> | undefined } | undefined;

/**
 * Offices reach the web through a proxy: HTTP_PROXY / HTTPS_PROXY / NO_PROXY (either case) are
 * honoured, as curl and wget do. undici's fetch, with its proxy agent when one is set.
 */
async function client(): Promise<{ fetch: Undici["fetch"]; dispatcher?: InstanceType<Undici["EnvHttpProxyAgent"]> }> {
  const lib = await (undici ??= import("undici"));
  const env = process.env;
  const key = [env.HTTP_PROXY ?? env.http_proxy, env.HTTPS_PROXY ?? env.https_proxy, env.NO_PROXY ?? env.no_proxy].join("\n");
  if (proxy?.key !== key) {
    void proxy?.agent?.close();
    const proxied = env.HTTP_PROXY ?? env.http_proxy ?? env.HTTPS_PROXY ?? env.https_proxy;
    proxy = { key, agent: proxied ? new lib.EnvHttpProxyAgent() : undefined };
  }
  return { fetch: lib.fetch, dispatcher: proxy.agent };
}

/** The bytes at `url`, following redirects; HTTP errors, timeouts and oversized bodies are InputErrors naming the address. */
export async function download(url: string, opts: DownloadOptions = {}): Promise<Uint8Array> {
  const maxBytes = opts.maxBytes ?? MAX_DOCUMENT_BYTES;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const tooLarge = () => new InputError("TOO_LARGE", `${url}: 下载内容过大，上限 ${(maxBytes / 1048576).toFixed(0)} MB (download larger than the limit)`);
  try {
    const { fetch, dispatcher } = await client();
    const res = await fetch(url, { redirect: "follow", signal: AbortSignal.timeout(timeoutMs), headers: HEADERS, dispatcher });
    if (!res.ok) {
      await res.body?.cancel();
      if (res.status === 404 || res.status === 410) throw new InputError("NOT_FOUND", `${url}: 网页不存在 (HTTP ${res.status})`);
      throw new InputError("UNREADABLE", `${url}: 服务器返回 HTTP ${res.status} (the server answered HTTP ${res.status})`);
    }
    if (Number(res.headers.get("content-length")) > maxBytes) {
      await res.body?.cancel();
      throw tooLarge();
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    if (res.body) {
      // Counted as it arrives: a server may send more than it declares, or declare nothing.
      for await (const chunk of res.body) {
        size += chunk.length;
        if (size > maxBytes) throw tooLarge();
        chunks.push(chunk);
      }
    }
    return Buffer.concat(chunks);
  } catch (e) {
    throw failure(url, e, timeoutMs);
  }
}

const FILE_ERRORS: Record<string, string> = {
  ENOENT: "文件不存在 (no such file)",
  EISDIR: "是目录，不是文件 (is a directory)",
  EACCES: "没有读取权限 (permission denied)",
};

/** A local file's bytes; a file that cannot be read is an InputError in words. */
export function readLocal(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "";
    // A report inside a .zip bundle (`bundle.zip!/报告.docx`, as the folder walk names it).
    const member = code === "ENOENT" || code === "ENOTDIR" ? splitMember(file) : undefined;
    if (member) return readMember(member.archive, member.member, file);
    throw new InputError(code === "ENOENT" ? "NOT_FOUND" : "UNREADABLE", `${file}: ${FILE_ERRORS[code] ?? `无法读取 (cannot read: ${code || String(e)})`}`);
  }
}

/** A page saved from a browser: the one kind of local file whose frames may hold the report. */
const SAVED_PAGE = /\.(html?|shtml)$/i;

/**
 * The report at a file or an address. A web page that reads as no report at all (not one, or only
 * its title with no figures) but links or embeds exactly one document naming the report (or
 * exactly one document) is read through that attachment: the report's `file` is then the
 * attachment's address. Several candidates are listed in the error, for the user to choose.
 * Without documents, the pages it shows in frames on its own site are read in turn (a frame's own
 * frames too, once): many sites show the report's text in an iframe. A saved page is read the same
 * way through the frames saved beside it (the companion folder the folder walk skips), and never
 * through anything outside its folder or on the network.
 */
export async function readReport(source: string, opts: DownloadOptions = {}, depth = 0): Promise<ParsedReport> {
  const local = !isUrl(source);
  if (local && !SAVED_PAGE.test(source)) return parseReport(readLocal(source), { filename: source });
  const bytes = local ? readLocal(source) : await download(source, opts);
  let page: ParsedReport | undefined;
  let notReport: InputError | undefined;
  try {
    page = await parseReport(bytes, { filename: source });
  } catch (e) {
    if (!(e instanceof InputError) || e.code !== "NOT_REPORT") throw e;
    notReport = e;
  }
  if (page && Object.keys(page.fields).length > 0) return page;
  // Loaded only here: cheerio costs a worker a tenth of a second to load, and most inputs never need it.
  const { pageLinks, reportAttachment } = await import("./attachments.js");
  const { documents: links, frames } = pageLinks(bytes, local ? pathToFileURL(resolve(source)).href : source);
  const named = links.filter((l) => l.named);
  if (named.length > 1) {
    throw new InputError("NOT_REPORT", `${source}: 网页上没有报告的数字，附件有 ${named.length} 个，请指定其一 (the page holds no figures and links ${named.length} report documents; give one): ${named.map((l) => l.url).join(" ")}`);
  }
  if (named.length === 1) return parseReport(await download(named[0].url, opts), { filename: named[0].url });
  // A frame showing the report comes before a lone document that does not say it is one (办事指南.pdf).
  if (depth < 2) {
    // Frames on the page's own site; for a saved page, files saved beside it (its companion folder).
    const folder = local ? dirname(resolve(source)) + sep : "";
    const host = local ? "" : new URL(source).host;
    const targets = local ? frames.map((f) => fileURLToPath(f)).filter((f) => f.startsWith(folder)) : frames.filter((f) => new URL(f).host === host);
    for (const frame of targets.slice(0, 3)) {
      try {
        const inner = await readReport(frame, opts, depth + 1);
        if (Object.keys(inner.fields).length > 0) return inner;
      } catch {
        // A frame that is not the report (a header, a share button) says nothing about the page.
      }
    }
  }
  const one = reportAttachment(links);
  if (one) return parseReport(await download(one.url, opts), { filename: one.url });
  if (page) return page;
  throw notReport!;
}
