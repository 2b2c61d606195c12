/** A tiny progress bar for long commands, drawn on stderr only when it is a terminal. */
export interface Progress {
  update(fraction: number, label?: string): void;
  done(): void;
}

const noop: Progress = { update: () => undefined, done: () => undefined };

export function progressBar(stream: NodeJS.WritableStream, isTTY: boolean, width = 30): Progress {
  if (!isTTY) return noop;
  let last = 0;
  let drawn = false;
  return {
    update(fraction, label = '') {
      const now = Date.now();
      if (now - last < 100 && fraction < 1) return;
      last = now;
      const f = Math.min(1, Math.max(0, fraction));
      const filled = Math.round(f * width);
      stream.write(
        `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(f * 100).toFixed(0).padStart(3)}% ${label}\x1b[K`,
      );
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
