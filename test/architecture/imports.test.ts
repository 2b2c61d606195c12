/**
 * Architecture rules from the developers' guide, checked on the real import graph:
 * forecast/ is a leaf, the decision policy touches no side effects, shipped code never imports
 * test code, and nothing imports in a circle.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importCycles, readImportGraph, type ImportGraph } from './import-graph.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const graph = readImportGraph(root, ['agent', 'forecast', 'sim', 'dashboards', 'alerts', 'bench', 'test']);

const source = (file: string): string => readFileSync(join(root, file), 'utf8');
const isTest = (file: string): boolean => file.endsWith('.test.ts') || file.startsWith('test/');
const shipped = (file: string): boolean =>
  !isTest(file) && ['agent/', 'forecast/', 'sim/'].some((dir) => file.startsWith(dir));

function violations(
  from: (file: string) => boolean,
  to: (target: string) => boolean,
  g: ImportGraph = graph,
): string[] {
  const found: string[] = [];
  for (const [file, targets] of g.edges) {
    if (!from(file)) continue;
    for (const target of targets) if (to(target)) found.push(`${file} -> ${target}`);
  }
  return found;
}

describe('import rules', () => {
  it('reads a graph of the whole project', () => {
    // Guards the rules below against passing on an empty or unresolved graph.
    expect(graph.edges.size).toBeGreaterThan(300);
    expect(graph.edges.get('agent/loop.ts')).toContain('agent/decide/decide.ts');
  });

  it('forecast/ imports nothing from agent/ or sim/', () => {
    expect(
      violations(
        (f) => f.startsWith('forecast/') && !isTest(f),
        (t) => t.startsWith('agent/') || t.startsWith('sim/'),
      ),
    ).toEqual([]);
  });

  it('the decision policy never imports providers, the API or Kubernetes clients', () => {
    expect(
      violations(
        (f) => f.startsWith('agent/decide/') && !isTest(f),
        (t) =>
          t === '@kubernetes/client-node' ||
          ['agent/providers/', 'agent/api/', 'agent/actuate/', 'agent/runtime/', 'sim/'].some((d) =>
            t.startsWith(d),
          ),
      ),
    ).toEqual([]);
  });

  it('shipped code imports no test code', () => {
    expect(violations(shipped, (t) => isTest(t))).toEqual([]);
  });

  it('the configuration does not import cluster state', () => {
    expect(
      violations(
        (f) => f.startsWith('agent/config/') && !isTest(f),
        (t) => t.startsWith('agent/state/'),
      ),
    ).toEqual([]);
  });

  it('every tick listener of the agent lives in the export stage (agent/export/)', () => {
    const listeners = [...graph.edges.keys()].filter(
      (f) => f.startsWith('agent/') && !isTest(f) && /implements TickListener\b/.test(source(f)),
    );
    expect(listeners.length).toBeGreaterThanOrEqual(4);
    expect(listeners.filter((f) => !f.startsWith('agent/export/'))).toEqual([]);
  });

  it('nothing flows back: export never feeds forecast or decide', () => {
    expect(
      violations(
        (f) => (f.startsWith('agent/decide/') || f.startsWith('agent/observe/')) && !isTest(f),
        (t) => t.startsWith('agent/export/') || t.startsWith('agent/runtime/'),
      ),
    ).toEqual([]);
    expect(
      violations(
        (f) => f === 'agent/runtime/forecast-hub.ts',
        (t) => t.startsWith('agent/export/') || t.startsWith('agent/telemetry/'),
      ),
    ).toEqual([]);
  });

  it('has no import cycles', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const cyclic: ImportGraph = {
      edges: new Map([
        ['a.ts', ['b.ts']],
        ['b.ts', ['c.ts']],
        ['c.ts', ['a.ts']],
        ['d.ts', ['a.ts']],
      ]),
    };
    expect(importCycles(cyclic)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });
});
