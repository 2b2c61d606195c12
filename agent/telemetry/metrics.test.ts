import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { metricDefinitions } from './catalog.js';
import { metricValue } from './metric-values.js';
import {
  acceptRenderer,
  createMetrics,
  negotiateFormat,
  OPENMETRICS_CONTENT_TYPE,
  TEXT_CONTENT_TYPE,
} from './metrics.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

describe('createMetrics', () => {
  it('registers every catalog metric with its help and type', async () => {
    const m = createMetrics();
    const { body, contentType } = await m.render('text');
    expect(contentType).toBe(TEXT_CONTENT_TYPE);
    for (const def of metricDefinitions) {
      expect(body).toContain(`# HELP ${def.name} ${def.help}`);
      expect(body).toContain(`# TYPE ${def.name} ${def.type}`);
    }
  });

  it('writes through the typed handles', async () => {
    const m = createMetrics();
    m.groupNodes.set({ group: 'spark-executor', state: 'ready' }, 7);
    m.scaleOutNodes.inc({ group: 'spark-executor', reason: 'pending-pods' }, 3);
    m.scaleOutLatency.observe({ group: 'spark-executor' }, 42);
    expect(await metricValue(m, 'nodecast_group_nodes', { group: 'spark-executor', state: 'ready' })).toBe(7);
    expect(await metricValue(m, 'nodecast_scale_out_nodes_total', { group: 'spark-executor' })).toBe(3);
    expect(await metricValue(m, 'nodecast_scale_out_latency_seconds_bucket', { le: 60 })).toBe(1);
    expect(await metricValue(m, 'nodecast_scale_out_latency_seconds_bucket', { le: 30 })).toBe(0);
  });

  it('renders OpenMetrics with trace_id exemplars on latency buckets', async () => {
    const m = createMetrics();
    m.scaleOutLatency.observe({ group: 'g' }, 130, { traceId: TRACE });
    m.ticks.inc({});
    const { body, contentType } = await m.render('openmetrics');
    expect(contentType).toBe(OPENMETRICS_CONTENT_TYPE);
    expect(body.endsWith('# EOF\n')).toBe(true);
    expect(body).toMatch(
      new RegExp(
        `nodecast_scale_out_latency_seconds_bucket\\{le="180",group="g"\\} 1 # \\{trace_id="${TRACE}"\\} 130 `,
      ),
    );
    expect(body).toContain('# TYPE nodecast_ticks counter\nnodecast_ticks_total 1');
  });

  it('keeps text exposition intact after an OpenMetrics render (prom-client renames counters in place)', async () => {
    const m = createMetrics();
    m.ticks.inc({});
    await m.render('openmetrics');
    const { body } = await m.render('text');
    expect(body).toContain('# TYPE nodecast_ticks_total counter\nnodecast_ticks_total 1');
    expect(body).not.toContain('# EOF');
    expect(body).not.toContain('trace_id');
  });

  it('serialises concurrent renders of both formats', async () => {
    const m = createMetrics();
    m.ticks.inc({});
    const bodies = await Promise.all(
      Array.from({ length: 10 }, (_, i) => m.render(i % 2 ? 'openmetrics' : 'text')),
    );
    bodies.forEach((r, i) => {
      expect(r.body.includes('# EOF'), `render ${i}`).toBe(i % 2 === 1);
      expect(r.body).toContain(
        i % 2 ? '# TYPE nodecast_ticks counter' : '# TYPE nodecast_ticks_total counter',
      );
    });
  });

  it('adds the cluster label to every series when asked, and build info', async () => {
    const m = createMetrics({
      cluster: 'prod-1',
      buildInfo: { version: '1.2.3', commit: 'abc123', nodeVersion: 'v20.0.0' },
    });
    const { body } = await m.render('text');
    expect(body).toContain(
      'nodecast_build_info{version="1.2.3",commit="abc123",node_version="v20.0.0",cluster="prod-1"} 1',
    );
  });

  it('computes watch event ages at scrape time from the injected clock', async () => {
    const clock = new ManualClock(1_000_000);
    const m = createMetrics({ clock });
    m.watchEventTimes.set('pods', 990_000);
    expect(await metricValue(m, 'nodecast_watch_last_event_age_seconds', { kind: 'pods' })).toBe(10);
    clock.advance(5_000);
    expect(await metricValue(m, 'nodecast_watch_last_event_age_seconds', { kind: 'pods' })).toBe(15);
  });

  it('registers into a given registry and keeps instances apart', async () => {
    const registry = new Registry();
    const a = createMetrics({ registry });
    const b = createMetrics();
    a.isLeader.set({}, 1);
    expect(registry.getSingleMetric('nodecast_is_leader')).toBeDefined();
    expect(await metricValue(a, 'nodecast_is_leader')).toBe(1);
    expect(await metricValue(b, 'nodecast_is_leader')).toBe(0);
    expect(() => createMetrics({ registry })).toThrow(/already been registered/);
  });
});

describe('negotiateFormat', () => {
  it('serves OpenMetrics to Prometheus and text to plain clients', () => {
    expect(negotiateFormat(PROMETHEUS_ACCEPT)).toBe('openmetrics');
    expect(negotiateFormat('application/openmetrics-text; version=1.0.0')).toBe('openmetrics');
    expect(negotiateFormat(undefined)).toBe('text');
    expect(negotiateFormat('*/*')).toBe('text');
    expect(negotiateFormat('text/plain;version=0.0.4')).toBe('text');
  });

  it('honours q weights', () => {
    expect(negotiateFormat('text/plain;q=1,application/openmetrics-text;q=0.2')).toBe('text');
    expect(negotiateFormat('application/openmetrics-text;q=0')).toBe('text');
  });
});

describe('acceptRenderer', () => {
  it('renders for an Accept header', async () => {
    const r = acceptRenderer(createMetrics());
    expect((await r.render(PROMETHEUS_ACCEPT)).contentType).toBe(OPENMETRICS_CONTENT_TYPE);
    expect((await r.render('')).contentType).toBe(TEXT_CONTENT_TYPE);
  });
});
