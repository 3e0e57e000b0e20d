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
