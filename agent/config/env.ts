/**
 * Environment overrides, applied to the raw YAML data before validation so that an overridden
 * value is checked like any other. Named variables cover the common knobs; the generic form
 * `NODECAST__path__to__key=value` reaches any field (numeric segments index lists, the value is
 * read as a YAML scalar: `NODECAST__nodeGroups__2__max=50`). Empty values are ignored, as
 * Kubernetes manifests often template optional variables to "".
 */
import { parse as parseYaml } from 'yaml';
import type { ConfigIssue } from './errors.js';
import { formatPath } from './errors.js';
import type { Segment } from './validate.js';

export interface EnvOverride {
  readonly variable: string;
  readonly segments: readonly Segment[];
  readonly value: unknown;
}

/** Named variables: path, and whether the value is taken as a plain string (no YAML parsing). */
const NAMED: Record<string, { segments: Segment[]; text: boolean }> = {
  NODECAST_HOST: { segments: ['server', 'host'], text: true },
  NODECAST_PORT: { segments: ['server', 'port'], text: false },
  NODECAST_CLUSTER_NAME: { segments: ['clusterName'], text: true },
  NODECAST_DATA_DIR: { segments: ['dataDir'], text: true },
  NODECAST_TICK_SECONDS: { segments: ['tickSeconds'], text: false },
  NODECAST_HISTORY_SOURCE: { segments: ['history', 'source'], text: true },
  NODECAST_PROMETHEUS_URL: { segments: ['history', 'prometheusUrl'], text: true },
};

const GENERIC_PREFIX = 'NODECAST__';

/** Reads the overrides from `env`: named ones first, then generic ones in name order. */
export function readEnvOverrides(env: NodeJS.ProcessEnv): {
  overrides: EnvOverride[];
  issues: ConfigIssue[];
} {
  const overrides: EnvOverride[] = [];
  const issues: ConfigIssue[] = [];
  for (const [variable, spec] of Object.entries(NAMED)) {
    const text = env[variable];
    if (text === undefined || text === '') continue;
    const value = spec.text ? { value: text } : scalar(text);
    if (value.error) issues.push({ path: variable, message: value.error });
    else overrides.push({ variable, segments: spec.segments, value: value.value });
  }
  const generic = Object.keys(env)
    .filter((name) => name.startsWith(GENERIC_PREFIX))
    .sort();
  for (const variable of generic) {
    const text = env[variable];
    if (text === undefined || text === '') continue;
    const segments = variable.slice(GENERIC_PREFIX.length).split('__');
    if (segments.some((segment) => segment === '')) {
      issues.push({
        path: variable,
        message: 'empty path segment (use NODECAST__section__key, double underscores)',
      });
      continue;
    }
    const value = scalar(text);
    if (value.error) issues.push({ path: variable, message: value.error });
    else
      overrides.push({
        variable,
        segments: segments.map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
        value: value.value,
      });
  }
  return { overrides, issues };
}

function scalar(text: string): { value?: unknown; error?: string } {
  try {
    const value: unknown = parseYaml(text);
    if (value !== null && typeof value === 'object')
      return {
        error: `value must be a YAML scalar, got a ${Array.isArray(value) ? 'list' : 'mapping'} (quote it to keep it a string)`,
      };
    return { value };
  } catch (error) {
    return { error: `value is not valid YAML: ${(error as Error).message.split('\n')[0]}` };
  }
}

/** Returns a copy of `raw` with the overrides set; never mutates `raw`. */
export function applyEnvOverrides(
  raw: unknown,
  overrides: readonly EnvOverride[],
): { raw: unknown; issues: ConfigIssue[] } {
  const root: unknown = raw === null || raw === undefined ? {} : structuredClone(raw);
  const issues: ConfigIssue[] = [];
  for (const override of overrides) {
    const problem = setPath(root, override.segments, override.value);
    if (problem) issues.push({ path: override.variable, message: problem });
  }
  return { raw: root, issues };
}

function setPath(root: unknown, segments: readonly Segment[], value: unknown): string | undefined {
  let node = root;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const here = formatPath(segments.slice(0, i));
    if (node === null || typeof node !== 'object')
      return `cannot set ${formatPath(segments)}: ${here} is not a mapping or list`;
    if (Array.isArray(node)) {
      if (typeof segment !== 'number')
        return `cannot set ${formatPath(segments)}: ${here} is a list, "${segment}" is not an index`;
      if (segment > node.length) return `index ${segment} is out of range: ${here} has ${node.length} items`;
    }
    const container = node as Record<string | number, unknown>;
    const key = Array.isArray(node) ? segment : String(segment);
    if (i === segments.length - 1) {
      container[key] = value;
      return undefined;
    }
    if (container[key] === undefined || container[key] === null)
      container[key] = typeof segments[i + 1] === 'number' ? [] : {};
    node = container[key];
  }
  return undefined;
}
