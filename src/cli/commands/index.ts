import type { Command } from "commander";
import { register as calendar } from "./calendar.js";
import { register as check } from "./check.js";
import { register as compare } from "./compare.js";
import { register as findings } from "./findings.js";
import { register as importCmd } from "./import.js";
import { register as missing } from "./missing.js";
import { register as parse } from "./parse.js";
import { register as requests } from "./requests.js";
import { register as rollup } from "./rollup.js";
import { register as trend } from "./trend.js";

/** A command registers itself and reports its exit code through setCode. */
export type Register = (program: Command, setCode: (code: number) => void) => void;

// One line per command module; keep sorted.
export const commands: Register[] = [
  calendar,
  check,
  compare,
  findings,
  importCmd,
  missing,
  parse,
  requests,
  rollup,
  trend,
];
