/**
 * Synthetic but valid reports for the store and import benchmarks: non-negative integer
 * combinations a·R1 + b·R2 of two real, hand-labelled reports (every identity of the template is
 * linear, so each combination satisfies what its originals satisfy), for a roster of agencies
 * (1 province, 14 cities, 10 units per city, the rest departments under the units).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = new URL("../", import.meta.url).pathname;

export const YEARS = [2021, 2022, 2023, 2024, 2025];
const BASES = ["pingtan/2023-87885.json", "pingtan/2024-97791.json", "pingtan-dept/czj-2022-80614.json", "pingtan-dept/hzs-2021-80609.json", "pingtan-dept/hzs-2025-104906.json"];

export function loadBases(): Record<string, number>[] {
  return BASES.map((p) => JSON.parse(readFileSync(join(ROOT, "fixtures/expected/reports", p), "utf8")).fields as Record<string, number>);
}

/** Deterministic PRNG (mulberry32) so runs are comparable. */
export function rng(seed: number) {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Plan { agencies: { name: string; level: string; parent?: string }[]; perYear: number }

export function plan(reports: number): Plan {
  const perYear = Math.ceil(reports / YEARS.length);
  const agencies: Plan["agencies"] = [{ name: "某省人民政府", level: "省" }];
  const cities = Array.from({ length: 14 }, (_, i) => `第${i + 1}市人民政府`);
  for (const c of cities) agencies.push({ name: c, level: "市", parent: "某省人民政府" });
  const units: string[] = [];
  for (const [ci, c] of cities.entries()) for (let u = 0; u < 10; u++) {
    const name = `第${ci + 1}市第${u + 1}区人民政府`;
    units.push(name);
    agencies.push({ name, level: "区", parent: c });
  }
  for (let d = 0; agencies.length < perYear; d++) agencies.push({ name: `${units[d % units.length].replace("人民政府", "")}第${Math.floor(d / units.length) + 1}局`, level: "部门", parent: units[d % units.length] });
  return { agencies: agencies.slice(0, perYear), perYear };
}

export function synth(bases: Record<string, number>[], r: () => number): Record<string, number> {
  const i = Math.floor(r() * bases.length);
  let j = Math.floor(r() * bases.length);
  if (j === i) j = (j + 1) % bases.length;
  const a = 1 + Math.floor(r() * 4), b = Math.floor(r() * 3);
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(bases[i])) {
    const w = bases[j][k];
    if (w === undefined) continue;
    out[k] = Math.round((a * v + b * w) * 1e6) / 1e6;
  }
  return out;
}
