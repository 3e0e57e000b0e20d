/**
 * A real HTTP server on loopback for tests of reading reports by address: fixture pages as an
 * agency's site serves them (UTF-8, GBK with the charset only in the header, a redirect, an
 * attachment without a telling name), and the failures a crawl meets (404, 500, a body past the
 * limit, a server that never answers).
 *
 *   const web = await serveReports();   // web.url("/2023.html")
 *   await web.close();
 */
import { createServer, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { connect, type AddressInfo } from "node:net";
import iconv from "iconv-lite";

const FIX = new URL("../fixtures/reports/", import.meta.url).pathname;
export const PAGES = { utf8: `${FIX}pingtan/2024-97791/page.html`, gbk: `${FIX}pingtan-dept/czj-2019-80560/page.txt` };

export interface TestWeb {
  url(path: string): string;
  /** Files served under /files/NAME, set by the test. */
  files: Map<string, Buffer>;
  close(): Promise<void>;
}

export async function serveReports(): Promise<TestWeb> {
  const files = new Map<string, Buffer>();
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const send = (status: number, type: string, body: Buffer | string) => {
      res.writeHead(status, { "content-type": type });
      res.end(body);
    };
    if (path === "/2024.html") return send(200, "text/html; charset=utf-8", readFileSync(PAGES.utf8));
    // An old page: GBK bytes, its charset only in the server's header.
    if (path === "/gbk.txt") return send(200, "text/plain; charset=gbk", iconv.encode(readFileSync(PAGES.gbk, "utf8"), "gbk"));
    if (path === "/old-address") {
      res.writeHead(301, { location: "/2024.html" });
      return res.end();
    }
    if (path.startsWith("/files/") && files.has(path.slice(7))) return send(200, "application/octet-stream", files.get(path.slice(7))!);
    // Report pages that only link the report (「详见附件」), among links that are not it.
    const shell = (links: string) =>
      `<html><head><meta charset="utf-8"></head><body><h1>平潭综合实验区财政金融局2019年政府信息公开工作年度报告</h1><p>发布时间：2020-01-20</p><p>详见附件：</p>${links}<p><a href="/guide.html">返回首页</a> <a href="/files/办事指南.pdf">办事指南.pdf</a></p></body></html>`;
    if (path === "/notice.html") return send(200, "text/html; charset=utf-8", shell(`<p><a href="files/2019年度报告.docx">平潭综合实验区财政金融局2019年政府信息公开工作年度报告.docx</a></p>`));
    if (path === "/notice-two.html") return send(200, "text/html; charset=utf-8", shell(`<p><a href="/files/2019年度报告.docx">2019年度报告（正文）.docx</a> <a href="/files/2019年度报告.pdf">2019年度报告（扫描件）.pdf</a></p>`));
    // Report pages that show the report in a frame: its text in an iframe (after a frame that
    // fails, beside a share button on another site), or a document in a PDF viewer.
    if (path === "/framed.html") return send(200, "text/html; charset=utf-8", shell(`<iframe src="/error"></iframe><iframe src="https://share.example.invalid/button"></iframe><iframe src="/2024.html" width="100%"></iframe>`));
    if (path === "/viewer.html") return send(200, "text/html; charset=utf-8", shell(`<iframe src="/static/pdfjs/web/viewer.html?file=/files/2019年度报告.docx"></iframe>`));
    if (path === "/error") return send(500, "text/html", "<h1>Internal Server Error</h1>");
    if (path === "/endless") {
      // No length declared, 64 KB chunks until the client stops reading.
      res.writeHead(200, { "content-type": "text/html" });
      const chunk = Buffer.alloc(65536, "年");
      const more = () => { while (res.write(chunk)) { /* until the socket's buffer is full */ } };
      res.on("drain", more);
      more();
      return;
    }
    if (path === "/declared-huge") {
      res.writeHead(200, { "content-type": "application/pdf", "content-length": String(10 * 1024 ** 3) });
      res.write("%PDF-1.4\n");
      hanging.add(res);
      return;
    }
    if (path === "/silent") {
      hanging.add(res);
      return;
    }
    send(404, "text/html", "<h1>404 Not Found</h1>");
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    files,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/** A tunnelling HTTP proxy on loopback (an office's gateway), recording what it is asked for. */
export async function serveProxy(): Promise<{ url: string; forwarded: string[]; close(): Promise<void> }> {
  const forwarded: string[] = [];
  // Plain requests in absolute form are not forwarded: undici asks for a tunnel, as below.
  const server = createServer((req, res) => {
    forwarded.push(req.url ?? "");
    res.writeHead(502);
    res.end();
  });
  // A tunnel (CONNECT host:port): how proxies are asked for https, and by undici for http too.
  server.on("connect", (req, client, head) => {
    forwarded.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? "").split(":");
    const target = connect(Number(port), host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      target.write(head);
      target.pipe(client);
      client.pipe(target);
    });
    target.on("error", () => client.destroy());
    client.on("error", () => target.destroy());
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    forwarded,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/** An https site whose certificate is self-signed (made by openssl for the test), serving one page. */
export async function serveSelfSigned(): Promise<{ url: string; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "gongkai-tls-"));
  try {
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")], { stdio: "ignore" });
    const server = createHttpsServer({ key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) }, (_, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(readFileSync(PAGES.utf8));
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const { port } = server.address() as AddressInfo;
    return {
      url: `https://127.0.0.1:${port}/2024.html`,
      close: async () => {
        server.closeAllConnections();
        await new Promise<void>((done) => server.close(() => done()));
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
