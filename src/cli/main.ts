import { Command, CommanderError } from "commander";
import { commandsFor } from "./commands/index.js";

/**
 * Entry point of the `gongkai` command. Each command lives in ./commands/<name>.ts and exports
 * `register(program)`; its action returns the exit code. Errors never surface as stack traces:
 * anything unexpected becomes one line on stderr and exit code 2.
 */
export async function main(argv: string[]): Promise<number> {
  // A reader that closes the pipe early (`gongkai parse … | head`) is not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    });
  }
  const program = new Command("gongkai")
    .description("政府信息公开工作年度报告工具：解析、校验、存储、比较 (read, check, store and compare disclosure annual reports)")
    .version(process.env.npm_package_version ?? "0.1.0")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  let code = 0;
  const setCode = (c: number) => { code = c; };
  for (const register of await commandsFor(argv.slice(2))) register(program, setCode);
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    process.stderr.write(`gongkai: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  return code;
}
