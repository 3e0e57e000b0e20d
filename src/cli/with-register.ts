import { openRegister, type RequestRegister } from "../requests/index.js";
import { resolveDbUrl, StoreError } from "../store/index.js";

/**
 * Opens the application register for one command, runs it, closes it. A database that cannot be
 * used, or a register error, becomes one line on stderr (`gongkai <command>: …`) and exit code 2.
 */
export async function withRegister(command: string, db: string | undefined, setCode: (c: number) => void, fn: (reg: RequestRegister) => Promise<void>): Promise<void> {
  let reg: RequestRegister | undefined;
  try {
    reg = await openRegister(resolveDbUrl(db));
    await fn(reg);
  } catch (e) {
    if (e instanceof StoreError || (e instanceof Error && e.name === "RequestsError")) {
      process.stderr.write(`gongkai ${command}: ${e.message}\n`);
      setCode(2);
      return;
    }
    throw e;
  } finally {
    await reg?.close();
  }
}
