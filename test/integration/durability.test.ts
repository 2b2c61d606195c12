/**
 * Acknowledged means durable: a child process runs the real store + API; the parent floods it with
 * override creates and deletes, records every one acknowledged (201 / 200 received), kills the
 * child with SIGKILL at a random moment, restarts it on the same data directory, and checks that
 * every acknowledged write is there and that no row is partial (each complete, valid, audited).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { databasePath } from '../../agent/store/database.js';
import { tempDir } from '../fakes/temp-store.js';

const SERVER = new URL('../fixtures/override-server.ts', import.meta.url).pathname;
const ROUNDS = 5;
const CONCURRENCY = 6;

interface Server {
  readonly child: ChildProcess;
  readonly url: string;
}

const children = new Set<ChildProcess>();
afterEach(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  children.clear();
});

async function startServer(dir: string): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER, dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    lines.on('line', (l) => {
      const m = /^listening (\d+)$/.exec(l);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) =>
      reject(new Error(`override server exited (${code}) before listening: ${stderr}`)),
    );
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

async function kill(server: Server): Promise<void> {
  const exited = once(server.child, 'exit');
  server.child.kill('SIGKILL');
  await exited;
}

interface Acked {
  readonly id: string;
  readonly value: number;
  readonly reason: string;
}

/** Keeps `CONCURRENCY` writes in flight until the server dies; returns what was acknowledged. */
async function flood(server: Server, round: number, earlier: readonly Acked[]) {
  const created: Acked[] = [];
  const deleted: string[] = [];
  let n = 0;
  let dead = false;
  let full = false;
  const worker = async () => {
    while (!dead) {
      const i = n++;
      try {
        // Every third write deletes an override acknowledged earlier in this round; once the group
        // is full (200 live overrides, a 409) writes delete until there is room again.
        const pool = full ? [...earlier, ...created].filter((a) => !deleted.includes(a.id)) : created;
        const victim = full || i % 3 === 2 ? pool[Math.floor(Math.random() * pool.length)] : undefined;
        if (victim && !deleted.includes(victim.id)) {
          const res = await fetch(`${server.url}/api/v1/overrides/${victim.id}`, { method: 'DELETE' });
          if (res.status === 200) deleted.push(victim.id);
          full = false;
          continue;
        }
        const body = {
          group: 'spark-executor',
          kind: 'floor',
          value: 2 + (i % 150),
          reason: `round ${round} write ${i}`,
        };
        const res = await fetch(`${server.url}/api/v1/overrides`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        if (res.status === 201)
          created.push({
            id: ((await res.json()) as { id: string }).id,
            value: body.value,
            reason: body.reason,
          });
        else if (res.status === 409 && /at most 200/.test(await res.clone().text())) full = true;
        else throw new Error(`unexpected ${res.status}: ${await res.text()}`);
      } catch (err) {
        if (
          server.child.exitCode !== null ||
          server.child.signalCode !== null ||
          /fetch failed|terminated|ECONNRESET|socket/i.test(String(err))
        ) {
          dead = true;
        } else {
          throw err;
        }
      }
    }
  };
  const workers = Array.from({ length: CONCURRENCY }, worker);
  // Kill at a random moment once writes are flowing.
  while (created.length < 5) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, 50 + Math.random() * 400));
  await kill(server);
  dead = true;
  await Promise.all(workers);
  return { created, deleted, attempted: n };
}

interface OverrideJson {
  id: string;
  group: string;
  kind: string;
  value: number;
  reason: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  deletedAt?: string;
  state: string;
}

function expectComplete(o: OverrideJson): void {
  expect(o.group).toBe('spark-executor');
  expect(o.kind).toBe('floor');
  expect(Number.isInteger(o.value) && o.value >= 2 && o.value < 152).toBe(true);
  expect(o.reason).toMatch(/^round \d+ write \d+$/);
  expect(o.createdBy).toBe('anonymous');
  expect(Date.parse(o.createdAt)).toBeGreaterThan(0);
  expect(o.state === 'deleted').toBe(o.deletedAt !== undefined);
}

describe('durability under SIGKILL', () => {
  it('keeps every acknowledged write and no partial one, across kill -9 and restart', async () => {
    const { dir, cleanup } = tempDir('nodecast-durability-');
    const allCreated = new Map<string, Acked>();
    const allDeleted = new Set<string>();
    try {
      let attempted = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const server = await startServer(dir);
        const live = [...allCreated.values()].filter((a) => !allDeleted.has(a.id));
        const r = await flood(server, round, live);
        attempted += r.attempted;
        r.created.forEach((a) => allCreated.set(a.id, a));
        r.deleted.forEach((id) => allDeleted.add(id));
      }

      const server = await startServer(dir);
      const res = await fetch(`${server.url}/api/v1/overrides?status=all`);
      const items = ((await res.json()) as { items: OverrideJson[] }).items;
      await kill(server);

      if (process.env.DURABILITY_VERBOSE)
        console.log({ attempted, acked: allCreated.size, rows: items.length, deletes: allDeleted.size });
      const byId = new Map(items.map((o) => [o.id, o]));
      for (const [id, acked] of allCreated) {
        const o = byId.get(id);
        expect(o, `acknowledged override ${id} lost`).toBeDefined();
        expect(o).toMatchObject({ value: acked.value, reason: acked.reason });
      }
      for (const id of allDeleted)
        expect(byId.get(id)?.deletedAt, `acknowledged delete of ${id} lost`).toBeDefined();
      items.forEach(expectComplete);
      expect(items.length).toBeLessThanOrEqual(attempted);

      // Each row has exactly its audit trail (written in the same transaction), and the file is sound.
      const db = new Database(databasePath(dir), { readonly: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const audits = db.prepare('SELECT target, action FROM audit_log').all() as {
          target: string;
          action: string;
        }[];
        for (const o of items) {
          const actions = audits
            .filter((a) => a.target === o.id)
            .map((a) => a.action)
            .sort();
          expect(actions).toEqual(o.deletedAt ? ['override.create', 'override.delete'] : ['override.create']);
        }
        expect(audits.length).toBe(items.length + items.filter((o) => o.deletedAt).length);
      } finally {
        db.close();
      }
      expect(allCreated.size).toBeGreaterThanOrEqual(ROUNDS * 5);
    } finally {
      cleanup();
    }
  }, 120_000);
});
