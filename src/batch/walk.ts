import { readdirSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { InputError } from "../parse/decode.js";
import { INPUT_EXTENSIONS } from "../parse/formats/index.js";

/** File endings picked up inside folders (explicitly named files are taken whatever their name). */
export const FOLDER_EXTENSIONS: ReadonlySet<string> = new Set(INPUT_EXTENSIONS);

/**
 * The files to parse: each argument that is a file, and every report-like file under each folder
 * (recursive, hidden entries skipped, sorted so runs and exports are reproducible).
 */
export function collectInputs(paths: string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (p: string) => { if (!seen.has(p)) { seen.add(p); out.push(p); } };
  const walk = (dir: string) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith(".")) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && FOLDER_EXTENSIONS.has(extname(e.name).toLowerCase())) add(p);
    }
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new InputError("NOT_FOUND", `${p}: 文件或文件夹不存在 (no such file or folder)`);
    }
    if (st.isDirectory()) walk(p);
    else add(p);
  }
  return out;
}
