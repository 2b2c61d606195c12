import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UsageFieldError } from '../usage/fields.js';
import { parseKubeletSummary } from './summary.js';

const FIXTURE = new URL('../../test/fixtures/kubelet-summary.json', import.meta.url);
const fixture = () => JSON.parse(readFileSync(FIXTURE, 'utf8'));

/** The error parseKubeletSummary throws for `doc`, or a failure if it does not throw. */
function errorFor(doc: unknown): UsageFieldError {
  try {
    parseKubeletSummary(doc);
  } catch (err) {
    if (err instanceof UsageFieldError) return err;
    throw err;
  }
  throw new Error('expected a UsageFieldError');
}

describe('parseKubeletSummary', () => {
  it('reads node and pod cpu (nanocores -> cores) and working-set memory from a real-shaped summary', () => {
    const raw = fixture();
    const summary = parseKubeletSummary(raw);
    expect(summary.node).toBe(raw.node.nodeName);
    expect(summary.usage.cpu).toBeCloseTo(raw.node.cpu.usageNanoCores / 1e9, 12);
    expect(summary.usage.memoryBytes).toBe(raw.node.memory.workingSetBytes);
    const exec1 = summary.pods.find((p) => p.name === 'nightly-orders-7f3c2a9e1b-exec-1');
    const rawExec1 = raw.pods.find((p: { podRef: { name: string } }) => p.podRef.name === exec1?.name);
    expect(exec1).toEqual({
      namespace: 'spark-etl',
      name: 'nightly-orders-7f3c2a9e1b-exec-1',
      cpu: rawExec1.cpu.usageNanoCores / 1e9,
      memoryBytes: rawExec1.memory.workingSetBytes,
    });
    // Every pod but the one without a cpu rate yet.
    expect(summary.pods).toHaveLength(raw.pods.length - 1);
    // Node usage covers its pods plus its own overhead.
    expect(summary.usage.cpu).toBeGreaterThan(summary.pods.reduce((s, p) => s + p.cpu, 0));
  });

  it('skips a pod the kubelet has no cpu rate for yet, naming the missing field', () => {
    const summary = parseKubeletSummary(fixture());
    expect(summary.skippedPods).toEqual([
      { pod: 'spark-adhoc/notebook-4d91e07c55-exec-4', reason: 'pods[3].cpu.usageNanoCores is missing' },
    ]);
  });

  /** Sets (or, for undefined, deletes) the value at a dotted path like "pods.1.podRef". */
  function spoil(doc: unknown, path: string, value: unknown): void {
    const keys = path.split('.');
    const last = keys.pop()!;
    const parent = keys.reduce((o, k) => (o as Record<string, unknown>)[k], doc) as Record<string, unknown>;
    if (value === undefined) delete parent[last];
    else parent[last] = value;
  }

  it.each([
    ['node', 'node', undefined],
    ['node.nodeName', 'node.nodeName', undefined],
    ['node.cpu', 'node.cpu', undefined],
    ['node.cpu.usageNanoCores', 'node.cpu.usageNanoCores', undefined],
    ['node.memory.workingSetBytes', 'node.memory.workingSetBytes', '12Gi'],
    ['pods', 'pods', { items: [] }],
    ['pods[2]', 'pods.2', null],
    ['pods[1].podRef', 'pods.1.podRef', undefined],
    ['pods[0].podRef.namespace', 'pods.0.podRef.namespace', undefined],
  ])('rejects a summary with a bad %s, naming it', (field, path, value) => {
    const doc = fixture();
    spoil(doc, path, value);
    const err = errorFor(doc);
    expect(err.field).toBe(field);
    expect(err.message).toContain(field);
  });

  it('says what a wrong value was', () => {
    const doc = fixture();
    doc.node.cpu.usageNanoCores = -5;
    expect(errorFor(doc).message).toBe(
      'kubelet summary: node.cpu.usageNanoCores must be a number >= 0, got -5',
    );
  });

  it('rejects a document that is not an object', () => {
    expect(errorFor([]).field).toBe('(root)');
  });
});
