import type { Command } from "commander";

/** A command registers itself and reports its exit code through setCode. */
export type Register = (program: Command, setCode: (code: number) => void) => void;

type Loader = () => Promise<{ register: Register }>;

/**
 * One line per command module, by the name it registers; keep sorted. Loaded on demand: the store's
 * modules (kysely alone is a thousand files) and the parser take a third of a second to load, and
 * `gongkai check page.html` needs neither the store nor the register.
 */
export const commands: Record<string, Loader> = {
  calendar: () => import("./calendar.js"),
  check: () => import("./check.js"),
  compare: () => import("./compare.js"),
  findings: () => import("./findings.js"),
  import: () => import("./import.js"),
  missing: () => import("./missing.js"),
  parse: () => import("./parse.js"),
  requests: () => import("./requests.js"),
  rollup: () => import("./rollup.js"),
  trend: () => import("./trend.js"),
};

/**
 * The commands to register for these arguments: the one named first (options come after it), or
 * all of them when none is named or the name is unknown, so help and commander's own "unknown
 * command" message list every command.
 */
export async function commandsFor(args: string[]): Promise<Register[]> {
  const named = args.find((a) => !a.startsWith("-"));
  const load = named !== undefined && Object.hasOwn(commands, named) ? [commands[named]] : Object.values(commands);
  return (await Promise.all(load.map((l) => l()))).map((m) => m.register);
}
