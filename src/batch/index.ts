import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { InputError } from "../parse/decode.js";
import type { HeaderLanguage } from "./columns.js";
import { parseFiles, WriteError, type ParsePool, type RunOptions } from "./pool.js";
import { createProgress, type ProgressOptions } from "./progress.js";
import { openSink, outputFormat } from "./sinks.js";
import { collectInputs } from "./walk.js";

export { createProgress, type Progress, type ProgressOptions } from "./progress.js";
export { collectInputs } from "./walk.js";
export { ParsePool, type PoolOptions } from "./pool.js";
export { fieldColumns, header, type HeaderLanguage } from "./columns.js";
export { parseCsv } from "./sinks.js";
export type { Outcome } from "./parse-file.js";

export interface BatchOptions {
  /** Output file: .jsonl, .csv or .xlsx. */
  out: string;
  /** Column headers of CSV/XLSX: field ids (default) or Chinese labels. */
  headers?: HeaderLanguage;
  /** Skip the files the output already holds, and append. */
  resume?: boolean;
  /** Overwrite an existing output (otherwise refused, so a finished export is never lost by accident). */
  force?: boolean;
  /** Worker threads (default: every core; 0 = in this thread). */
  workers?: number;
  /** Each worker's heap in MB; a file that needs more is reported as OUT_OF_MEMORY (see PoolOptions). */
  maxHeapMb?: number;
  /** Run on this pool's workers, kept warm for the next batch (then `workers` and `maxHeapMb` are the pool's). */
  pool?: ParsePool;
  progress?: ProgressOptions["mode"];
  stderr?: NodeJS.WriteStream;
  /** Stops the run cleanly (files in flight finish, the output is closed). Default: Ctrl-C does that. */
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface BatchSummary {
  out: string;
  /** Files found. */
  total: number;
  /** Already in the output (--resume). */
  skipped: number;
  parsed: number;
  failed: number;
  interrupted: boolean;
}

/**
 * Parses every report under `paths` (files and folders, recursive) on all cores into one export.
 * One bad file never stops the batch: it becomes an error row. Interrupted runs leave a valid
 * output (at most the record being written when killed is dropped on --resume) and `--resume`
 * carries on from it.
 */
export async function runBatch(paths: string[], options: BatchOptions): Promise<BatchSummary> {
  const out = options.out;
  outputFormat(out);
  if (existsSync(out) && !options.resume && !options.force) {
    throw new InputError("UNSUPPORTED", `${out}: 输出文件已存在；续跑加 --resume，覆盖加 --force (output exists: add --resume to continue or --force to overwrite)`);
  }
  const outAbs = resolve(out);
  const files = collectInputs(paths).filter((f) => resolve(f) !== outAbs && !resolve(f).startsWith(`${outAbs}.`));
  const sink = await openSink(out, { resume: !!options.resume, headers: options.headers ?? "id" }).catch((e: unknown) => {
    // The file system's refusals (ENOSPC, EACCES, ENOENT of the folder …) name the output, not a report.
    if (e instanceof Error && "syscall" in e) throw new InputError("UNWRITABLE", `${out}: 无法写入输出文件 (cannot write the output: ${e.message})`);
    throw e;
  });
  const todo = files.filter((f) => !sink.done.has(f));
  const skipped = files.length - todo.length;
  const progress = createProgress({ total: files.length, start: skipped, label: "解析 parse", stream: options.stderr, mode: options.progress });

  let signal = options.signal;
  let onSigint: (() => void) | undefined;
  if (!signal) {
    const ctl = new AbortController();
    signal = ctl.signal;
    onSigint = () => {
      if (ctl.signal.aborted) process.exit(130);
      (options.stderr ?? process.stderr).write("\n中断：正在收尾，已完成的结果会保留；再按一次 Ctrl-C 立即退出 (interrupted: finishing files in flight; Ctrl-C again to quit now)\n");
      ctl.abort();
    };
    process.on("SIGINT", onSigint);
  }
  let result;
  let shown = 0;
  try {
    const run: RunOptions = {
      timeoutMs: options.timeoutMs,
      signal,
      target: sink.target,
      onProgress(done) {
        if (done > shown) progress.tick(done - shown);
        shown = done;
      },
    };
    result = await (options.pool ? options.pool.run(todo, run) : parseFiles(todo, { ...run, workers: options.workers, maxHeapMb: options.maxHeapMb }));
  } catch (e) {
    if (e instanceof WriteError) throw new InputError("UNWRITABLE", `${out}: 输出文件写入失败，已停止；已写入的结果保留，可加 --resume 续跑 (cannot write the output, stopped; what was written is kept, --resume continues: ${e.message})`);
    throw e;
  } finally {
    progress.stop();
    if (onSigint) process.off("SIGINT", onSigint);
    await sink.close();
  }
  return { out, total: files.length, skipped, ...result };
}
