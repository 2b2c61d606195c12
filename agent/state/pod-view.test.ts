import { describe, expect, it } from 'vitest';
import { isHeadroomPlaceholder, toPodView } from './pod-view.js';
import { GroupResolver } from './group-resolver.js';
import { pod, testConfig } from '../../test/fakes/spark-cluster.js';

const resolver = new GroupResolver(testConfig());
const view = (raw: unknown, observedAt = 42) => toPodView(raw, resolver, observedAt);

describe('toPodView', () => {
  it('reads Spark labels, requests and placement', () => {
    const { view: v, problems } = view(
      pod('exec-1', {
        role: 'executor',
        app: 'spark-123',
        queue: 'root.etl',
        node: 'n1',
        cpu: '2',
        memory: '8Gi',
      }),
    );
    expect(problems).toEqual([]);
    expect(v).toMatchObject({
      name: 'exec-1',
      namespace: 'spark',
      sparkRole: 'executor',
      app: 'spark-123',
      queue: 'root.etl',
      phase: 'Running',
      nodeName: 'n1',
      unschedulableSince: null,
      quotaHeld: false,
      group: 'spark-executor',
      requests: { cpu: 2, memoryBytes: 8 * 2 ** 30 },
    });
    expect(Object.isFrozen(v)).toBe(true);
  });

  it('falls back to spark-app-name and the YuniKorn queue annotation', () => {
    const raw = pod('d', { role: 'driver', labels: { 'spark-app-name': 'nightly' } });
    (raw.metadata as Record<string, unknown>).annotations = { 'yunikorn.apache.org/queue': 'root.adhoc' };
    const v = view(raw).view!;
    expect(v.app).toBe('nightly');
    expect(v.queue).toBe('root.adhoc');
    expect(v.group).toBe('spark-driver');
  });

  it('marks Unschedulable pods with the condition transition time', () => {
    const v = view(
      pod('p', { role: 'executor', pending: { reason: 'Unschedulable', since: '2024-05-01T10:00:00Z' } }),
    ).view!;
    expect(v.unschedulableSince).toBe(Date.parse('2024-05-01T10:00:00Z'));
    expect(v.quotaHeld).toBe(false);
  });

  it('marks YuniKorn SchedulingSkipped pods as quota-held (pending, but nodes cannot help)', () => {
    const v = view(pod('p', { role: 'executor', pending: { reason: 'SchedulingSkipped' } })).view!;
    expect(v.quotaHeld).toBe(true);
    expect(v.unschedulableSince).not.toBeNull();
  });

  it('uses the observation time when the condition has no transition time', () => {
    const raw = pod('p', { pending: { reason: 'Unschedulable' } });
    delete (raw.status as { conditions: Record<string, unknown>[] }).conditions[0]!.lastTransitionTime;
    expect(view(raw, 1234).view!.unschedulableSince).toBe(1234);
  });

  it('ignores other PodScheduled=False reasons and bound pods', () => {
    expect(view(pod('p', { pending: { reason: 'SchedulerError' } })).view!.unschedulableSince).toBeNull();
    const bound = pod('p', { node: 'n1', pending: { reason: 'Unschedulable' } });
    expect(view(bound).view!.unschedulableSince).toBeNull();
  });

  it('accepts client-node models with Date timestamps', () => {
    const raw = pod('p', { pending: { reason: 'Unschedulable' } });
    const cond = (raw.status as { conditions: Record<string, unknown>[] }).conditions[0]!;
    cond.lastTransitionTime = new Date('2024-05-01T11:00:00Z');
    expect(view(raw).view!.unschedulableSince).toBe(Date.parse('2024-05-01T11:00:00Z'));
  });

  it('resolves the group from required node affinity', () => {
    const raw = pod('p', { role: 'executor', queue: 'root.etl' });
    (raw.spec as Record<string, unknown>).affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [{ key: 'nodecast.io/node-group', operator: 'In', values: ['spark-driver'] }],
            },
          ],
        },
      },
    };
    expect(view(raw).view!.group).toBe('spark-driver');
  });

  it('records problems for malformed quantities and unknown phases, still producing a view', () => {
    const raw = pod('bad', { role: 'executor', cpu: 'two', phase: 'Exploded' });
    const r = view(raw);
    expect(r.view).not.toBeNull();
    expect(r.view!.phase).toBe('Unknown');
    expect(r.view!.requests.cpu).toBe(0);
    expect(r.problems.join('\n')).toMatch(/spec\.containers\[0\]\.resources\.requests\.cpu/);
    expect(r.problems.join('\n')).toMatch(/status\.phase/);
  });

  it('returns no view for objects without a name or uid', () => {
    expect(view({ metadata: { name: 'x' } })).toEqual({ view: null, problems: ['metadata.uid: missing'] });
    expect(view(null).view).toBeNull();
    expect(view('garbage').view).toBeNull();
  });

  it('recognises headroom placeholders', () => {
    expect(
      isHeadroomPlaceholder(pod('h', { labels: { 'nodecast.io/headroom-group': 'spark-executor' } })),
    ).toBe(true);
    expect(isHeadroomPlaceholder(pod('e', { role: 'executor' }))).toBe(false);
  });
});
