/**
 * A tiny progress bar on stderr for long runs. It stays silent when the stream is not a TTY and
 * for runs that finish within `delayMs` (so quick runs and pipes see no noise).
 */
export interface Progress {
  /** fraction in [0, 1]. */
  update(fraction: number, label?: string): void;
  /** Clears the bar if it was drawn. */
  done(): void;
}

export interface ProgressOptions {
  readonly enabled: boolean;
  readonly delayMs?: number;
  readonly width?: number;
  readonly now?: () => number;
}

export const silentProgress: Progress = { update: () => {}, done: () => {} };

export function progressBar(stream: NodeJS.WritableStream, options: ProgressOptions): Progress {
  if (!options.enabled) return silentProgress;
  const now = options.now ?? (() => Date.now());
  const width = options.width ?? 30;
  const startedAt = now();
  const delayMs = options.delayMs ?? 1000;
  let shown = false;
  let lastDrawAt = -Infinity;
  return {
    update(fraction, label = '') {
      const t = now();
      if (t - startedAt < delayMs || t - lastDrawAt < 100) return;
      lastDrawAt = t;
      shown = true;
      const f = Math.min(1, Math.max(0, fraction));
      const filled = Math.round(f * width);
      const bar = '#'.repeat(filled) + '.'.repeat(width - filled);
      stream.write(`\r[${bar}] ${String(Math.round(f * 100)).padStart(3)}% ${label}\x1b[K`);
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
