import { writeSync } from "node:fs";
import { lazy } from "../parse/lazy.js";
import { errorRow, reportRow } from "./columns.js";
import type { Outcome } from "./parse-file.js";

const csv = lazy<typeof import("csv-stringify/sync")>("csv-stringify/sync");

/**
 * An open output and the form of its records. The descriptor is shared by every thread of the
 * process: workers append their own records, so no report crosses threads and the main thread only
 * counts (it was the run's bottleneck on two cores, receiving and writing every record).
 */
export interface Target {
  /** Opened with O_APPEND: each record is one write(2), and appends from several threads never interleave. */
  fd: number;
  format: "jsonl" | "csv";
}

/** JSONL: the outcome itself. CSV (for Excel/WPS): the wide row, CRLF, failures in the error column. */
export function formatRecord(t: Target, o: Outcome): string {
  if (t.format === "jsonl") return JSON.stringify(o) + "\n";
  return csv().stringify([o.ok ? reportRow(o.file, o.report, true) : errorRow(o)], { record_delimiter: "\r\n" });
}

/** This thread's buffer for encoding records, grown to the largest record so far. */
let scratch = Buffer.allocUnsafe(1 << 17);

/**
 * A record as the bytes to append (made before a file is claimed, so a claimed file's record is
 * one system call away). The bytes are a view of this thread's scratch buffer, valid until the
 * next call: a new buffer per record (Buffer.from) cost three times the encoding itself, a large
 * allocation per report for the garbage collector.
 */
export function encodeRecord(t: Target, o: Outcome): Buffer {
  const text = formatRecord(t, o);
  // UTF-8 takes at most 3 bytes per UTF-16 code unit (a surrogate pair: 4 bytes for 2 units).
  if (text.length * 3 > scratch.length) scratch = Buffer.allocUnsafe(text.length * 3);
  return scratch.subarray(0, scratch.write(text));
}

/** Appends one record. Throws (ENOSPC, EIO …) when the output cannot take it. */
export function appendRecord(t: Target, bytes: Buffer): void {
  // A regular file takes a short write only when it is about to fail; the next write says why.
  for (let at = 0; at < bytes.length; ) at += writeSync(t.fd, bytes, at);
}
