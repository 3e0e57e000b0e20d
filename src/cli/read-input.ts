import { readFile } from "node:fs/promises";
import { InputError } from "../parse/index.js";
import { download, isUrl } from "../batch/source.js";

const NODE_ERRORS: Record<string, string> = {
  ENOENT: "文件不存在 (no such file)",
  EISDIR: "是目录，不是文件 (is a directory)",
  EACCES: "没有读取权限 (permission denied)",
};

/** A report's bytes, from a file or an http(s) address; or why they could not be had, as a value. */
export async function readInput(source: string): Promise<Uint8Array | { code: string; message: string }> {
  if (isUrl(source)) {
    try {
      return await download(source);
    } catch (e) {
      if (e instanceof InputError) return { code: e.code, message: e.message };
      throw e;
    }
  }
  try {
    return await readFile(source);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "";
    return { code: code === "ENOENT" ? "NOT_FOUND" : "UNREADABLE", message: `${source}: ${NODE_ERRORS[code] ?? `无法读取 (cannot read: ${code || String(e)})`}` };
  }
}
