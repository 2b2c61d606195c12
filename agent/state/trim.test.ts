import { describe, expect, it } from 'vitest';
import { trimNode, trimPod } from './trim.js';
import { toPodView } from './pod-view.js';
import { toNodeView } from './node-view.js';
import { GroupResolver } from './group-resolver.js';
import { node, pod, testConfig } from '../../test/fakes/spark-cluster.js';

const resolver = new GroupResolver(testConfig());

describe('trim', () => {
  it('keeps every field the pod view reads (same view before and after trimming)', () => {
    const raw = pod('e', {
      role: 'executor',
      app: 'a',
      queue: 'root.etl',
      pending: { reason: 'SchedulingSkipped' },
    });
    const spec = raw.spec as Record<string, unknown>;
    spec.initContainers = [
      {
        name: 'side',
        restartPolicy: 'Always',
        resources: { requests: { cpu: '250m' } },
        env: [{ name: 'X', value: 'y' }],
      },
    ];
    spec.overhead = { cpu: '100m' };
    spec.affinity = {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } },
    };
    (raw.metadata as Record<string, unknown>).managedFields = [{ manager: 'kubectl' }];
    const trimmed = trimPod(raw)!;
    expect(toPodView(trimmed, resolver, 0)).toEqual(toPodView(raw, resolver, 0));
    expect(JSON.stringify(trimmed)).not.toContain('managedFields');
    expect(JSON.stringify(trimmed)).not.toContain('env');
  });

  it('keeps every field the node view reads', () => {
    const raw = node('n', { group: 'spark-driver', unschedulable: true });
    (raw.status as Record<string, unknown>).images = [{ names: ['big'] }];
    expect(toNodeView(trimNode(raw), resolver)).toEqual(toNodeView(raw, resolver));
    expect(JSON.stringify(trimNode(raw))).not.toContain('images');
  });

  it('normalises Date timestamps to strings', () => {
    const raw = pod('p', { pending: { reason: 'Unschedulable' } });
    (raw.metadata as Record<string, unknown>).creationTimestamp = new Date(0);
    expect((trimPod(raw)!.metadata as Record<string, unknown>).creationTimestamp).toBe(
      '1970-01-01T00:00:00.000Z',
    );
  });

  it('drops nameless objects', () => {
    expect(trimPod({ metadata: {} })).toBeNull();
    expect(trimNode(7)).toBeNull();
  });
});
