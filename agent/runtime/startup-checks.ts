/**
 * Everything fallible about start-up that does not need the cluster, checked before anything is
 * started: the tokens file, the data directory. Each failure is a StartupError naming the config
 * field, so `nodecast start` can exit non-zero with a message an operator can act on.
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import type { Config } from '../config/types.js';
import type { TokenAuth } from '../api/auth.js';
import { loadTokenAuth, TokenFileError } from '../api/token-file.js';

export class StartupError extends Error {
  constructor(
    /** The config field at fault, e.g. `api.tokensFile`. */
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'StartupError';
  }
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a path component is not a directory',
  EISDIR: 'is a directory',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  ELOOP: 'too many symbolic links',
};

/** A short reason for a file-system error ("no such file or directory"), never a stack. */
export function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code && REASONS[code]) return REASONS[code];
  return err instanceof Error ? err.message : String(err);
}

const isFsError = (err: unknown): boolean =>
  typeof (err as NodeJS.ErrnoException | undefined)?.code === 'string';

/** The API's token auth (null when no tokens file is configured: auth disabled). */
export function loadApiAuth(config: Config): TokenAuth | null {
  const path = config.api.tokensFile;
  if (!path) return null;
  try {
    return loadTokenAuth(path);
  } catch (err) {
    if (err instanceof TokenFileError) throw new StartupError('api.tokensFile', err.message);
    if (isFsError(err)) {
      const failedPath = (err as NodeJS.ErrnoException).path ?? path;
      throw new StartupError('api.tokensFile', `cannot read "${failedPath}": ${fsReason(err)}`);
    }
    throw err;
  }
}

/** The data directory exists (created if missing) and the agent may write in it. */
export function checkDataDir(config: Config): void {
  const dir = config.dataDir;
  try {
    mkdirSync(dir, { recursive: true });
    if (!statSync(dir).isDirectory()) throw new StartupError('dataDir', `"${dir}" is not a directory`);
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (err) {
    if (err instanceof StartupError) throw err;
    if (isFsError(err)) throw new StartupError('dataDir', `cannot write to "${dir}": ${fsReason(err)}`);
    throw err;
  }
}

/** Runs every check; the first failure throws. */
export function checkStartup(config: Config): void {
  loadApiAuth(config);
  checkDataDir(config);
}

/** Things opened so far, closed in reverse order when start-up fails half way. */
export class OpenedResources {
  private readonly closers: (() => unknown)[] = [];

  add(close: () => unknown): void {
    this.closers.push(close);
  }

  /** Closes everything; a failing close is reported but does not stop the others. */
  async closeAll(onError: (err: unknown) => void): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) {
      try {
        await close();
      } catch (err) {
        onError(err);
      }
    }
  }
}
