import cliProgress from "cli-progress";

/** Progress of a long run over a known number of items, on stderr. */
export interface Progress {
  /** Count `n` more items done (failed ones included). */
  tick(n?: number): void;
  /** Final line; call once. */
  stop(): void;
}

export interface ProgressOptions {
  total: number;
  /** What is being counted, shown first (e.g. "解析 parse"). */
  label: string;
  /** Items already done before this run (e.g. skipped by --resume); shown, not timed. */
  start?: number;
  stream?: NodeJS.WriteStream;
  /** "auto": a bar on a terminal, plain lines otherwise. */
  mode?: "auto" | "bar" | "lines" | "none";
  /** Seconds between plain lines. */
  interval?: number;
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/**
 * A progress display: done/total, rate and ETA. On a terminal a redrawn bar (cli-progress); in a
 * log or CI, one plain line every few seconds and a last one at the end, so logs stay readable.
 */
export function createProgress(opts: ProgressOptions): Progress {
  const stream = opts.stream ?? process.stderr;
  const mode = opts.mode === "auto" || !opts.mode ? (stream.isTTY ? "bar" : "lines") : opts.mode;
  const started = Date.now();
  const start = opts.start ?? 0;
  let done = start;
  const rate = () => (done - start) / Math.max((Date.now() - started) / 1000, 1e-3);
  const eta = () => (opts.total - done) / Math.max(rate(), 1e-9);

  if (mode === "none") return { tick: (n = 1) => { done += n; }, stop: () => {} };

  if (mode === "bar") {
    const bar = new cliProgress.SingleBar({
      stream,
      format: `${opts.label} {bar} {value}/{total} | {speed}/s | ETA {left}`,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 200,
      fps: 8,
    }, cliProgress.Presets.shades_classic);
    bar.start(opts.total, done, { speed: "0", left: "?" });
    return {
      tick(n = 1) {
        done += n;
        bar.update(done, { speed: rate().toFixed(1), left: duration(eta()) });
      },
      stop() {
        bar.update(done, { speed: rate().toFixed(1), left: "0s" });
        bar.stop();
      },
    };
  }

  const every = (opts.interval ?? 5) * 1000;
  let last = 0;
  const line = () => {
    const pct = opts.total ? Math.floor((done / opts.total) * 100) : 100;
    stream.write(`${opts.label} ${done}/${opts.total} (${pct}%) ${rate().toFixed(1)}/s ETA ${duration(eta())}\n`);
  };
  return {
    tick(n = 1) {
      done += n;
      const now = Date.now();
      if (now - last >= every && done < opts.total) { last = now; line(); }
    },
    stop() {
      const secs = (Date.now() - started) / 1000;
      stream.write(`${opts.label} ${done}/${opts.total} 完成 done in ${duration(secs)} (${rate().toFixed(1)}/s)\n`);
    },
  };
}
