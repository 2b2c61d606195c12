/** Checks, before a long run rather than after it, that a report file can be written. */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export class ReportPathError extends Error {}

export function checkWritable(file: string): void {
  const dir = dirname(resolve(file));
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new ReportPathError(`--report ${file}: cannot write in ${dir} (${(error as Error).message})`, {
      cause: error,
    });
  }
}
