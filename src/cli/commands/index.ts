import type { Command } from "commander";
import { register as check } from "./check.js";
import { register as parse } from "./parse.js";

/** A command registers itself and reports its exit code through setCode. */
export type Register = (program: Command, setCode: (code: number) => void) => void;

// One line per command module; keep sorted.
export const commands: Register[] = [
  check,
  parse,
];
