/**
 * Finds and decodes Spark event logs (what `spark.eventLog.enabled` writes and the History Server
 * reads): single files, plain or compressed, and rolling logs (`eventlog_v2_<app>/events_<n>_*`).
 * Yields each application's lines in order; undecodable files become skips, never errors.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as zlib from 'node:zlib';
import type { ImportSkip } from './types.js';

export interface EventLogSource {
  /** Shown in skips and errors: the file, or the rolling log's directory. */
  readonly name: string;
  /** Each part's text with its file name (one part unless rolling). */
  readonly parts: readonly { readonly file: string; readonly text: string }[];
}

const UNSUPPORTED = new Set(['lz4', 'lzf', 'snappy']);

/** Decodes one file by its extension (Spark names compressed logs `<app>.<codec>`). */
function decode(file: string): string {
  const ext = file.split('.').pop()!.toLowerCase();
  const bytes = readFileSync(file);
  if (ext === 'gz') return gunzipSync(bytes).toString('utf8');
  if (ext === 'zst' || ext === 'zstd') {
    const zstd = (zlib as unknown as { zstdDecompressSync?: (b: Buffer) => Buffer }).zstdDecompressSync;
    if (!zstd)
      throw new Error(`zstd needs Node 22.15 or later; decompress it first (zstd -d ${basename(file)})`);
    return zstd(bytes).toString('utf8');
  }
  if (UNSUPPORTED.has(ext)) {
    throw new Error(
      `codec ${ext} is not supported (Spark's default event log codec is lz4); decompress it first, ` +
        `or write logs with spark.eventLog.compress=false or spark.eventLog.compression.codec=zstd`,
    );
  }
  return bytes.toString('utf8');
}

const rollingIndex = (name: string): number => Number(/^events_(\d+)_/.exec(name)?.[1] ?? Number.NaN);

function rolling(dir: string, skipped: ImportSkip[]): EventLogSource | null {
  const files = readdirSync(dir)
    .filter((f) => f.startsWith('events_'))
    .sort((a, b) => rollingIndex(a) - rollingIndex(b));
  const parts: { file: string; text: string }[] = [];
  for (const f of files) {
    const file = join(dir, f);
    try {
      parts.push({ file, text: decode(file) });
    } catch (error) {
      skipped.push({ where: file, reason: (error as Error).message });
      return null;
    }
  }
  return parts.length > 0 ? { name: dir, parts } : null;
}

/** Every application log under the given paths (files, directories of logs, rolling logs). */
export function findEventLogs(paths: readonly string[], skipped: ImportSkip[]): EventLogSource[] {
  const sources: EventLogSource[] = [];
  const visit = (path: string, top: boolean): void => {
    let stat;
    try {
      stat = statSync(path);
    } catch (error) {
      if (top)
        throw new Error(
          `--event-logs: cannot read "${path}": ${(error as NodeJS.ErrnoException).code ?? error}`,
          { cause: error },
        );
      return;
    }
    if (stat.isDirectory()) {
      if (basename(path).startsWith('eventlog_v2_')) {
        const source = rolling(path, skipped);
        if (source) sources.push(source);
        return;
      }
      for (const entry of readdirSync(path).sort())
        if (!entry.startsWith('.')) visit(join(path, entry), false);
      return;
    }
    // Spark writes `<app>.inprogress` while the application runs: kept, reported as unfinished later.
    try {
      sources.push({ name: path, parts: [{ file: path, text: decode(path) }] });
    } catch (error) {
      skipped.push({ where: path, reason: (error as Error).message });
    }
  };
  for (const path of paths) visit(path, true);
  return sources;
}
