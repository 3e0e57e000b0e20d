import { readdirSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { InputError } from "../parse/decode.js";
import { INPUT_EXTENSIONS } from "../parse/formats/index.js";
import { isUrl } from "./source.js";
import { bundleInputs, isZipName, splitMember } from "./bundle.js";
import { companionOf, pageStem } from "./saved-page.js";

/** File endings picked up inside folders (explicitly named files are taken whatever their name). */
export const FOLDER_EXTENSIONS: ReadonlySet<string> = new Set(INPUT_EXTENSIONS);

/**
 * The files to parse: each argument that is a file or an http(s) address, and every report-like
 * file under each folder (recursive, hidden entries and saved pages' companion folders skipped,
 * sorted so runs and exports are reproducible). A .zip bundle, named or in a folder, stands for
 * the reports inside it (`bundle.zip!/报告.docx`, see bundle.ts).
 */
export function collectInputs(paths: string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (p: string) => { if (!seen.has(p)) { seen.add(p); out.push(p); } };
  // A .zip of reports stands for its members; a document zip, or one that cannot be read, for itself.
  const addBundle = (p: string) => { for (const m of bundleInputs(p) ?? [p]) add(m); };
  const walk = (dir: string) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const pages = new Set(entries.filter((e) => e.isFile()).map((e) => pageStem(e.name)));
    for (const e of entries) {
      if (e.name.startsWith(".")) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        const page = companionOf(e.name);
        if (page === undefined || !pages.has(page)) walk(p);
      } else if (e.isFile() && isZipName(e.name)) addBundle(p);
      else if (e.isFile() && FOLDER_EXTENSIONS.has(extname(e.name).toLowerCase())) add(p);
    }
  };
  for (const p of paths) {
    if (isUrl(p)) {
      add(p);
      continue;
    }
    let st;
    try {
      st = statSync(p);
    } catch {
      // A report inside a bundle, named as the walk names it (`bundle.zip!/报告.docx`): read when parsed.
      if (splitMember(p)) {
        add(p);
        continue;
      }
      throw new InputError("NOT_FOUND", `${p}: 文件或文件夹不存在 (no such file or folder)`);
    }
    if (st.isDirectory()) walk(p);
    else if (isZipName(p)) addBundle(p);
    else add(p);
  }
  return out;
}
