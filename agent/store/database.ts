/**
 * Opens the SQLite file in the data directory with the durability settings the store relies on.
 *
 * journal_mode=WAL: readers never block the writer, and a commit is one append to the WAL.
 * synchronous=FULL: the WAL is fsynced at every commit, so a write the API acknowledged survives
 * kill -9 of the process *and* an OS crash or power loss. NORMAL would survive a process crash
 * (the WAL is already in the OS page cache) but could lose the last commits on an OS crash; the
 * store's writes are few (overrides, one batched history insert per flush, one decision batch per
 * tick), so the extra fsync costs little and we take the stronger guarantee.
 * busy_timeout: another connection to the same file (a backup, the sqlite3 shell) makes writers
 * wait up to this long rather than fail at once.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export const DATABASE_FILE = 'nodecast.db';
export const BUSY_TIMEOUT_MS = 5000;

export type Db = Database.Database;

export function databasePath(dir: string): string {
  return join(dir, DATABASE_FILE);
}

export function openDatabase(dir: string): Db {
  mkdirSync(dir, { recursive: true });
  const db = new Database(databasePath(dir));
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
