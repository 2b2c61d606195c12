import { describe, expect, it } from 'vitest';
import { parseUsageReport, toUsageReportJson, type NodeUsageReport } from './usage-report.js';

const report: NodeUsageReport = {
  node: 'ip-10-0-12-34.ec2.internal',
  group: 'spark-executor',
  collectedAt: Date.UTC(2024, 4, 14, 9, 30, 12),
  usage: { cpu: 6.7, memoryBytes: 28_907_812_864 },
  pods: [{ namespace: 'spark-etl', name: 'exec-1', cpu: 3.1, memoryBytes: 12_025_908_428 }],
  skippedPods: [{ pod: 'spark-adhoc/exec-4', reason: 'pods[3].cpu.usageNanoCores is missing' }],
};

describe('usage report', () => {
  it('round-trips through JSON', () => {
    const json = JSON.parse(JSON.stringify(toUsageReportJson(report)));
    expect(json.collectedAt).toBe('2024-05-14T09:30:12.000Z');
    expect(parseUsageReport(json)).toEqual(report);
  });

  it('accepts a node outside every group', () => {
    const json = { ...toUsageReportJson({ ...report, group: null }) };
    expect(parseUsageReport(json).group).toBeNull();
  });

  it.each([
    ['kind', { kind: 'Status' }],
    ['collectedAt', { collectedAt: 'yesterday' }],
    ['usage.cpu', { usage: { memoryBytes: 1 } }],
    ['pods[0].name', { pods: [{ namespace: 'a', cpu: 1, memoryBytes: 1 }] }],
    ['pods[0].memoryBytes', { pods: [{ namespace: 'a', name: 'b', cpu: 1, memoryBytes: -1 }] }],
    ['node', { node: '' }],
  ])('names a bad %s', (field, patch) => {
    const json = { ...toUsageReportJson(report), ...patch };
    expect(() => parseUsageReport(json)).toThrow(
      new RegExp(`collector /usage: ${field.replace(/[[\].]/g, '\\$&')} `),
    );
  });
});
