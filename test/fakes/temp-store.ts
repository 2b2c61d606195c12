/** Test helpers for the store: a store in a fresh temporary directory, and a full dump of it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Store, StoreOptions } from '../../agent/store/store.js';
import { openStore } from '../../agent/store/store.js';

export function tempDir(prefix = 'nodecast-store-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function openTempStore(opts: StoreOptions = {}): { store: Store; dir: string; cleanup: () => void } {
  const { dir, cleanup } = tempDir();
  const store = openStore(dir, opts);
  return {
    store,
    dir,
    cleanup: () => {
      store.close();
      cleanup();
    },
  };
}

/** Every row of every table, through a second read-only connection (WAL lets it read live). */
export function dumpDatabase(path: string): Record<string, unknown[]> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[];
    return Object.fromEntries(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}"`).all()]));
  } finally {
    db.close();
  }
}
