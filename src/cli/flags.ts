import { readFileSync } from "node:fs";
import { InputError } from "../parse/decode.js";

/**
 * An integer flag's value (at least `min` when one is set); an InputError naming the flag
 * otherwise, which every command prints as one line with exit code 2.
 */
export function intOption(value: string | undefined, flag: string, min?: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (min === undefined) {
    if (Number.isInteger(n)) return n;
    throw new InputError("UNSUPPORTED", `${flag} 应为整数：${value} (${flag} must be an integer)`);
  }
  if (Number.isInteger(n) && n >= min) return n;
  throw new InputError("UNSUPPORTED", `${flag} 须为不小于 ${min} 的整数 (${flag} must be a whole number ≥ ${min}): ${value}`);
}

/**
 * The inputs given as arguments, then those named in a `--list` file (one file, folder or address
 * per line; blank lines and lines starting with # skipped; `-` reads standard input). None at all
 * is an InputError, printed by main as one line with exit code 2.
 */
export function inputs(args: string[], list: string | undefined): string[] {
  const named = list === undefined ? [] : listed(list);
  if (args.length + named.length === 0) throw new InputError("EMPTY", "请给出报告文件、文件夹或网址，或 --list 清单 (give report files, folders or addresses, or --list FILE)");
  return [...args, ...named];
}

function listed(list: string): string[] {
  let text: string;
  try {
    text = readFileSync(list === "-" ? 0 : list, "utf8");
  } catch {
    throw new InputError("NOT_FOUND", `--list ${list}: 清单文件无法读取 (cannot read the list file)`);
  }
  return text.replace(/^\uFEFF/, "").split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
}
