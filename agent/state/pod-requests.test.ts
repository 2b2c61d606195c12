import { describe, expect, it } from 'vitest';
import { podRequests } from './pod-requests.js';

const Gi = 2 ** 30;
const Mi = 2 ** 20;
const c = (requests?: Record<string, string>, limits?: Record<string, string>, restartPolicy?: string) => ({
  name: 'c',
  resources: { requests, limits },
  restartPolicy,
});

describe('podRequests', () => {
  it('sums app containers', () => {
    const r = podRequests({
      containers: [c({ cpu: '500m', memory: '1Gi' }), c({ cpu: '1500m', memory: '512Mi' })],
    });
    expect(r.requests).toEqual({ cpu: 2, memoryBytes: Gi + 512 * Mi });
    expect(r.problems).toEqual([]);
  });

  it('takes the max of the app total and each regular init container, per resource', () => {
    const r = podRequests({
      initContainers: [c({ cpu: '4', memory: '100Mi' }), c({ cpu: '100m', memory: '3Gi' })],
      containers: [c({ cpu: '1', memory: '1Gi' })],
    });
    expect(r.requests).toEqual({ cpu: 4, memoryBytes: 3 * Gi });
  });

  it('adds sidecars (restartPolicy Always) to the running total and to later init containers', () => {
    const r = podRequests({
      initContainers: [
        c({ cpu: '2', memory: '1Gi' }), // regular, before the sidecar: 2 cpu
        c({ cpu: '500m', memory: '256Mi' }, undefined, 'Always'), // sidecar
        c({ cpu: '3', memory: '1Gi' }), // regular after the sidecar: 3 + 0.5
      ],
      containers: [c({ cpu: '1', memory: '2Gi' })],
    });
    // running = 1 + 0.5 = 1.5 cpu, 2Gi + 256Mi; init peak = 3.5 cpu, 1Gi + 256Mi
    expect(r.requests.cpu).toBeCloseTo(3.5);
    expect(r.requests.memoryBytes).toBe(2 * Gi + 256 * Mi);
  });

  it('adds spec.overhead', () => {
    const r = podRequests({
      containers: [c({ cpu: '1', memory: '1Gi' })],
      overhead: { cpu: '250m', memory: '120Mi' },
    });
    expect(r.requests).toEqual({ cpu: 1.25, memoryBytes: Gi + 120 * Mi });
  });

  it('defaults a missing request to the limit, per resource', () => {
    const r = podRequests({ containers: [c({ memory: '1Gi' }, { cpu: '2', memory: '8Gi' })] });
    expect(r.requests).toEqual({ cpu: 2, memoryBytes: Gi });
  });

  it('counts nothing for containers without resources', () => {
    expect(podRequests({ containers: [{ name: 'x' }] }).requests).toEqual({ cpu: 0, memoryBytes: 0 });
    expect(podRequests(undefined).requests).toEqual({ cpu: 0, memoryBytes: 0 });
  });

  it('reports malformed quantities by field and counts them as zero, never throwing', () => {
    const r = podRequests({
      containers: [c({ cpu: 'lots', memory: '1Gi' }), c({ cpu: '1' }, { memory: '-5Gi' })],
      overhead: { cpu: { nested: true } },
    });
    expect(r.requests).toEqual({ cpu: 1, memoryBytes: Gi });
    expect(r.problems).toHaveLength(3);
    expect(r.problems[0]).toMatch(/^spec\.containers\[0\]\.resources\.requests\.cpu: .*lots/);
    expect(r.problems[1]).toMatch(/^spec\.containers\[1\]\.resources\.limits\.memory: negative/);
    expect(r.problems[2]).toMatch(/^spec\.overhead\.cpu:/);
  });

  it('survives structurally wrong specs', () => {
    expect(() => podRequests({ containers: 'nope', initContainers: [null, 3] })).not.toThrow();
  });
});
