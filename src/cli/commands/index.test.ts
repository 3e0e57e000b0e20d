import { test } from "node:test";
import assert from "node:assert/strict";
import { Command } from "commander";
import { commands, commandsFor } from "./index.js";

const names = (args: string[]) =>
  commandsFor(args).then((rs) => {
    const program = new Command("gongkai");
    for (const r of rs) r(program, () => {});
    return program.commands.map((c) => c.name());
  });

test("each command module registers the command it is listed under", async () => {
  for (const [name, load] of Object.entries(commands)) {
    const program = new Command("gongkai");
    (await load()).register(program, () => {});
    assert.deepEqual(program.commands.map((c) => c.name()), [name]);
  }
});

test("only the named command is loaded; help, no command or an unknown one load them all", async () => {
  assert.deepEqual(await names(["check", "page.html", "--lang", "en"]), ["check"]);
  assert.deepEqual(await names(["import", "--db", "x.db", "dir"]), ["import"]);
  const all = Object.keys(commands);
  for (const args of [[], ["--help"], ["-V"], ["help", "parse"], ["nosuch"], ["toString"]]) assert.deepEqual(await names(args), all, args.join(" "));
});
