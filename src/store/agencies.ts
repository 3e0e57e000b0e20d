import { parse } from "csv-parse/sync";
import { readFileSync } from "node:fs";
import type { AgencyLevel } from "./schema.js";
import { AGENCY_LEVELS } from "./schema.js";
import { StoreError } from "./errors.js";
import type { Store } from "./store.js";

/** Names compare without spaces and with full-width brackets made ASCII (as the parser prints them). */
export function normaliseAgencyName(name: string): string {
  return name.normalize("NFKC").replace(/[\s\u3000]+/g, "").trim();
}

const GOV_SUFFIX = /(人民政府|管理委员会|管委会)$/;

/** The place part of a government's name (平潭县人民政府 → 平潭县), or null for a department. */
export function governmentStem(name: string): string | null {
  const n = normaliseAgencyName(name);
  const m = GOV_SUFFIX.exec(n);
  return m ? n.slice(0, -m[1].length) : null;
}

/**
 * The level a name implies: …省/自治区人民政府 → 省, …市人民政府 → 市, …县/旗人民政府 → 县,
 * …区人民政府 or a 管委会 → 区, a 局/委/办/厅/中心… → 部门; null when the name does not say.
 */
export function deriveLevel(name: string): AgencyLevel | null {
  const n = normaliseAgencyName(name);
  const stem = governmentStem(n);
  if (stem !== null) {
    if (/(省|自治区)$/.test(stem) && !/市/.test(stem.replace(/(省|自治区)$/, ""))) return "省";
    if (/(北京|天津|上海|重庆)市$/.test(stem)) return "省";
    if (/市$/.test(stem)) return "市";
    if (/(县|旗)$/.test(stem)) return "县";
    if (/区$/.test(stem) || /(管理委员会|管委会)$/.test(n)) return "区";
    return null;
  }
  if (/(局|委员会|委|办公室|办公厅|办|厅|中心|署|院|所|站|队|部|处|公司|馆|会|社|监狱)$/.test(n)) return "部门";
  return null;
}

export interface AgencyRow {
  id: number;
  name: string;
  level: string | null;
  parent_id: number | null;
}

/** Finds an agency by its name or one of its aliases. */
export async function findAgency(store: Store, name: string): Promise<AgencyRow | undefined> {
  const n = normaliseAgencyName(name);
  const direct = await store.db.selectFrom("agencies").select(["id", "name", "level", "parent_id"]).where("name", "=", n).executeTakeFirst();
  if (direct) return direct;
  const alias = await store.db.selectFrom("agency_aliases").innerJoin("agencies", "agencies.id", "agency_aliases.agency_id")
    .select(["agencies.id", "agencies.name", "agencies.level", "agencies.parent_id"]).where("agency_aliases.alias", "=", n).executeTakeFirst();
  return alias;
}

/** Looks an agency up as a user would type it: exact name or alias, else `<name>人民政府`. */
export async function resolveAgency(store: Store, name: string): Promise<AgencyRow> {
  const hit = (await findAgency(store, name)) ?? (await findAgency(store, `${normaliseAgencyName(name)}人民政府`));
  if (!hit) throw new StoreError("NOT_FOUND", `未找到机关：${name} (no such agency or alias in the database)`);
  return hit;
}

type Db = Store["db"];

/** The government whose place name is the longest proper prefix of this agency's name (its parent), if stored. */
async function deriveParent(db: Db, name: string, level: string | null): Promise<number | null> {
  const own = governmentStem(name);
  const within = own ?? name;
  const govs = await db.selectFrom("agencies").select(["id", "name", "level"]).where("level", "in", ["省", "市", "县", "区"]).execute();
  let best: { id: number; len: number } | null = null;
  for (const g of govs) {
    const stem = governmentStem(g.name);
    if (!stem || g.name === name) continue;
    const proper = own !== null ? stem.length < own.length : true;
    if (proper && within.startsWith(stem) && (!best || stem.length > best.len)) best = { id: g.id, len: stem.length };
  }
  void level;
  return best?.id ?? null;
}

/** Links existing agencies without a parent to a newly created government whose place name they start with. */
async function adoptOrphans(db: Db, gov: { id: number; name: string }): Promise<void> {
  const stem = governmentStem(gov.name);
  if (!stem) return;
  const orphans = await db.selectFrom("agencies").select(["id", "name", "level"]).where("parent_id", "is", null).where("id", "!=", gov.id).execute();
  for (const o of orphans) {
    const own = governmentStem(o.name);
    const within = own ?? o.name;
    if (within.startsWith(stem) && (own === null || own.length > stem.length)) {
      const parent = await deriveParent(db, o.name, o.level);
      if (parent === gov.id) await db.updateTable("agencies").set({ parent_id: gov.id }).where("id", "=", o.id).execute();
    }
  }
}

export interface AgencyHints {
  level?: string | null;
  /** Parent agency name (created when new). */
  parent?: string | null;
  aliases?: string[];
}

function checkLevel(level: string): AgencyLevel {
  if (!(AGENCY_LEVELS as readonly string[]).includes(level)) throw new StoreError("BAD_INPUT", `机关级别无效：${level}，应为 ${AGENCY_LEVELS.join("/")} (invalid level)`);
  return level as AgencyLevel;
}

/**
 * Finds the agency by name or alias, or creates it with its level and parent derived from the name
 * unless given. Explicit hints also update an existing agency. Runs inside the caller's transaction.
 */
export async function ensureAgencyIn(db: Db, name: string, hints: AgencyHints = {}): Promise<AgencyRow> {
  const n = normaliseAgencyName(name);
  if (!n) throw new StoreError("BAD_INPUT", "机关名称为空 (empty agency name)");
  const level = hints.level ? checkLevel(hints.level) : undefined;
  let parentId: number | undefined;
  if (hints.parent) parentId = (await ensureAgencyIn(db, hints.parent)).id;

  let row = await db.selectFrom("agencies").select(["id", "name", "level", "parent_id"]).where("name", "=", n).executeTakeFirst()
    ?? await db.selectFrom("agency_aliases").innerJoin("agencies", "agencies.id", "agency_aliases.agency_id")
      .select(["agencies.id", "agencies.name", "agencies.level", "agencies.parent_id"]).where("agency_aliases.alias", "=", n).executeTakeFirst();
  if (!row) {
    const lv = level ?? deriveLevel(n);
    const parent = parentId ?? (await deriveParent(db, n, lv));
    const ins = await db.insertInto("agencies").values({ name: n, level: lv, parent_id: parent, created_at: new Date().toISOString() })
      .onConflict((oc) => oc.column("name").doNothing()).returning(["id"]).executeTakeFirst();
    row = await db.selectFrom("agencies").select(["id", "name", "level", "parent_id"]).where("name", "=", n).executeTakeFirstOrThrow();
    if (ins && lv && lv !== "部门") await adoptOrphans(db, row);
  } else {
    const set: { level?: string; parent_id?: number } = {};
    if (level && level !== row.level) set.level = level;
    if (parentId !== undefined && parentId !== row.parent_id && parentId !== row.id) set.parent_id = parentId;
    if (Object.keys(set).length) {
      await db.updateTable("agencies").set(set).where("id", "=", row.id).execute();
      row = { ...row, ...set };
    }
  }
  for (const a of hints.aliases ?? []) await addAliasIn(db, row.id, a);
  return row;
}

export async function ensureAgency(store: Store, name: string, hints: AgencyHints = {}): Promise<AgencyRow> {
  return store.db.transaction().execute((trx) => ensureAgencyIn(trx as unknown as Db, name, hints));
}

async function addAliasIn(db: Db, agencyId: number, alias: string): Promise<void> {
  const a = normaliseAgencyName(alias);
  if (!a) return;
  const clash = await db.selectFrom("agencies").select("id").where("name", "=", a).executeTakeFirst();
  if (clash && clash.id !== agencyId) {
    throw new StoreError("BAD_INPUT", `别名“${a}”已是另一个机关的名称 (alias is already another agency's name)`);
  }
  if (clash) return;
  await db.insertInto("agency_aliases").values({ alias: a, agency_id: agencyId })
    .onConflict((oc) => oc.column("alias").doUpdateSet({ agency_id: agencyId })).execute();
}

/**
 * Loads an agencies CSV: header `name,level,parent,aliases` (Chinese headers 名称,级别,上级,别名 also
 * accepted); aliases separated by `;`, `；` or `|`. Rows may come in any order: parents are created
 * when first named. Returns the number of rows applied.
 */
export async function loadAgenciesCsv(store: Store, file: string): Promise<number> {
  let text: string;
  try {
    text = readFileSync(file, "utf8").replace(/^\uFEFF/, "");
  } catch {
    throw new StoreError("BAD_INPUT", `${file}: 无法读取机关名录文件 (cannot read agencies CSV)`);
  }
  let rows: string[][];
  try {
    rows = (parse(text, { relax_column_count: true, record_delimiter: ["\r\n", "\n", "\r"] }) as string[][]).filter((r) => r.some((c) => c.trim() !== ""));
  } catch (e) {
    throw new StoreError("BAD_INPUT", `${file}: 机关名录不是有效的 CSV：${(e as Error).message} (agencies CSV is not valid CSV)`);
  }
  if (rows.length === 0) throw new StoreError("BAD_INPUT", `${file}: 机关名录为空 (empty agencies CSV)`);
  const head = rows[0].map((h) => h.trim().toLowerCase());
  const col = (...names: string[]) => head.findIndex((h) => names.includes(h));
  const iName = col("name", "名称", "机关", "机关名称");
  if (iName < 0) throw new StoreError("BAD_INPUT", `${file}: 第1行缺少 name/名称 列 (header needs a name column)`);
  const iLevel = col("level", "级别", "层级");
  const iParent = col("parent", "上级", "上级机关");
  const iAliases = col("aliases", "alias", "别名");
  let n = 0;
  await store.db.transaction().execute(async (trx) => {
    for (let r = 1; r < rows.length; r++) {
      const cells = rows[r];
      const name = cells[iName]?.trim();
      if (!name) continue;
      const get = (i: number) => (i >= 0 ? cells[i]?.trim() || undefined : undefined);
      const level = get(iLevel);
      if (level && !(AGENCY_LEVELS as readonly string[]).includes(level)) throw new StoreError("BAD_INPUT", `${file}:${r + 1}: 机关级别无效“${level}”，应为 ${AGENCY_LEVELS.join("/")} (invalid level)`);
      await ensureAgencyIn(trx as unknown as Db, name, { level, parent: get(iParent), aliases: (get(iAliases) ?? "").split(/[;；|]/).filter(Boolean) });
      n++;
    }
  });
  return n;
}


/** Every agency under one (children, grandchildren, …), the agency itself excluded. */
export async function descendants(store: Store, id: number): Promise<AgencyRow[]> {
  const all = await store.db.selectFrom("agencies").select(["id", "name", "level", "parent_id"]).execute();
  const out: AgencyRow[] = [];
  const walk = (pid: number) => { for (const a of all) if (a.parent_id === pid) { out.push(a); walk(a.id); } };
  walk(id);
  return out;
}
