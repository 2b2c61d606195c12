/**
 * Structural validation of the raw (parsed YAML) configuration with ajv, turning ajv's errors into
 * issues that name the field path in the form people write it: `nodeGroups[2].shape.memory`.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { parseQuantity } from '../quantity.js';
import { parseDuration } from './duration.js';
import { configSchema } from './schema.js';

export type Segment = string | number;

/** An issue before it is placed in the YAML text: path as segments. */
export interface RawIssue {
  readonly segments: readonly Segment[];
  readonly message: string;
  /** For unknown keys: locate the key itself rather than its value. */
  readonly atKey?: boolean;
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled) return compiled;
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
  ajv.addFormat('quantity', {
    type: 'string',
    validate: (text: string) => {
      try {
        return parseQuantity(text) > 0;
      } catch {
        return false;
      }
    },
  });
  ajv.addFormat('duration', {
    type: 'string',
    validate: (text: string) => parseDuration(text) !== undefined,
  });
  compiled = ajv.compile(configSchema);
  return compiled;
}

/** All structural problems of `raw`; empty when it matches the schema. */
export function validateStructure(raw: unknown): RawIssue[] {
  const validate = validator();
  if (validate(raw)) return [];
  const issues: RawIssue[] = [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    const issue = toIssue(error, raw);
    const key = `${JSON.stringify(issue.segments)} ${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
}

function toIssue(error: ErrorObject, raw: unknown): RawIssue {
  const segments = pointerToSegments(error.instancePath, raw);
  const got = describe(error.data);
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(error.params.additionalProperty);
      const known = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
      const hint = closest(key, known);
      const message = hint
        ? `unknown key (did you mean "${hint}"?)`
        : `unknown key (allowed: ${known.join(', ')})`;
      return { segments: [...segments, key], message, atKey: true };
    }
    case 'required':
      return { segments: [...segments, String(error.params.missingProperty)], message: 'is required' };
    case 'enum':
      return {
        segments,
        message: `must be one of ${(error.params.allowedValues as unknown[]).join(', ')} (got ${got})`,
      };
    case 'type':
      return { segments, message: `must be ${typeWords(String(error.params.type))} (got ${got})` };
    case 'format':
      return { segments, message: formatMessage(String(error.params.format), got) };
    case 'pattern':
      return { segments, message: `must be a lowercase name of letters, digits, '-' and '.' (got ${got})` };
    case 'minProperties':
      return { segments, message: 'must have at least one entry' };
    default:
      return { segments, message: `${error.message ?? 'is invalid'} (got ${got})` };
  }
}

function formatMessage(format: string, got: string): string {
  if (format === 'quantity')
    return `must be a positive Kubernetes quantity such as 16, "500m" or "128Gi" (got ${got})`;
  return `must be a duration: seconds, or a string such as "30s", "10m", "1h30m" (got ${got})`;
}

function typeWords(type: string): string {
  const words: Record<string, string> = {
    integer: 'an integer',
    number: 'a number',
    string: 'a string',
    boolean: 'true or false',
    object: 'a mapping',
    array: 'a list',
    'number,string': 'a number or a string',
  };
  return words[type] ?? type;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}

/** JSON pointer -> segments; numeric segments become numbers only where the data is an array. */
function pointerToSegments(pointer: string, raw: unknown): Segment[] {
  if (!pointer) return [];
  const segments: Segment[] = [];
  let node: unknown = raw;
  for (const escaped of pointer.slice(1).split('/')) {
    const part = escaped.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment: Segment = Array.isArray(node) && /^\d+$/.test(part) ? Number(part) : part;
    segments.push(segment);
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[segment] : undefined;
  }
  return segments;
}

/** The allowed key closest to a typo, when it is close enough to be a plausible intent. */
export function closest(key: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      bestDistance = distance;
      best = candidate;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
