/**
 * One printed cell to a value (spec §1.3, §7 item 8). Pure; knows nothing about fields.
 * `0`, `无`, `-`, `—` are zero; an empty cell is blank (absent, never 0); `增1`/`减5711`/`-3`
 * are signed; a unit printed in the cell (`6089.19万元`, `832995元`, `2笔`) is kept for conversion.
 */

export type Cell =
  | { kind: "blank" }
  | { kind: "value"; value: number; unit?: string; mark?: string }
  | { kind: "text" };

/** Marks that stand for zero in a data cell. */
const ZERO_MARKS = /^(?:无|-|—+|-+|\/|－|─+|╱)$/;
/** Units seen printed inside cells. */
export const CELL_UNITS = "万元|元|笔|件|条|项|个|次|人次|人|篇";
const NUMBER = new RegExp(`^(增加|减少|增|减|\\+|-)?\\s*(\\d+(?:\\.\\d+)?)\\s*(${CELL_UNITS})?$`);

/** A plain count (`0`, `15`): most cells. Fifteen digits at most, so Number() is exact. */
const PLAIN = /^\d{1,15}$/;

export function parseCell(raw: string): Cell {
  if (PLAIN.test(raw)) return { kind: "value", value: Number(raw) };
  const s = raw.replace(/\s+/g, "").replace(/,(?=\d{3}(?:\D|$))/g, "");
  if (s === "") return { kind: "blank" };
  if (ZERO_MARKS.test(s)) return { kind: "value", value: 0, mark: s };
  const m = NUMBER.exec(s);
  if (!m) return { kind: "text" };
  const sign = m[1] === "减" || m[1] === "减少" || m[1] === "-" ? -1 : 1;
  const v = Number(m[2]) * sign;
  return { kind: "value", value: Object.is(v, -0) ? 0 : v, ...(m[3] ? { unit: m[3] } : {}) };
}

/** Converts a value printed with a unit to the field's unit (only money needs it: 元 ↔ 万元). */
export function convertUnit(value: number, printed: string | undefined, target: string): number {
  if (!printed || printed === target) return value;
  if (printed === "元" && target === "万元") return Math.round((value / 10000) * 1e6) / 1e6;
  if (printed === "万元" && target === "元") return Math.round(value * 10000 * 100) / 100;
  return value;
}

/** Characters that can make up the value part of a flattened table row. */
export const VALUE_CHARS = new RegExp(`^(?:[\\d.\\s|+\\-—－─/增减加少无]|${CELL_UNITS})+`);
