/**
 * Label and field selectors, parsed as the API server does:
 * labels: `a=b`, `a==b`, `a!=b`, `a`, `!a`, `a in (x,y)`, `a notin (x,y)`, comma-separated (AND).
 * fields: `path=value`, `path==value`, `path!=value` on any dotted path (`spec.nodeName`,
 * `metadata.name`, `status.phase`, `involvedObject.name`); a missing field reads as "".
 */
import { badRequest } from './status.js';

type Requirement =
  | { op: 'eq' | 'neq'; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'exists' | 'notexists'; key: string };

export type Matcher = (obj: KubeObject) => boolean;

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

/** Split on commas that are not inside parentheses. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter((t) => t !== '');
}

function parseLabelTerm(term: string): Requirement {
  const setMatch = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (setMatch) {
    const values = setMatch[3]
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '');
    return { op: setMatch[2] as 'in' | 'notin', key: setMatch[1], values };
  }
  const eq = /^([^\s!=]+)\s*(==|=|!=)\s*([^\s!=]*)$/.exec(term);
  if (eq) return { op: eq[2] === '!=' ? 'neq' : 'eq', key: eq[1], value: eq[3] };
  const not = /^!\s*([^\s!=]+)$/.exec(term);
  if (not) return { op: 'notexists', key: not[1] };
  if (/^[^\s!=()]+$/.test(term)) return { op: 'exists', key: term };
  throw badRequest(`unable to parse requirement: invalid label selector term "${term}"`);
}

function matchRequirement(req: Requirement, read: (key: string) => string | undefined): boolean {
  const actual = read(req.key);
  switch (req.op) {
    case 'eq':
      return actual === req.value;
    case 'neq':
      return actual !== req.value;
    case 'in':
      return actual !== undefined && req.values.includes(actual);
    case 'notin':
      return actual === undefined || !req.values.includes(actual);
    case 'exists':
      return actual !== undefined;
    case 'notexists':
      return actual === undefined;
  }
}

export function parseLabelSelector(selector: string | undefined | null): Matcher {
  if (!selector) return () => true;
  const reqs = splitTerms(selector).map(parseLabelTerm);
  return (obj) => {
    const labels = obj.metadata?.labels ?? {};
    return reqs.every((r) => matchRequirement(r, (k) => labels[k]));
  };
}

/** Read a dotted path from an object; non-string leaves are stringified, missing ones are "". */
export function readField(obj: unknown, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return '';
  return typeof cur === 'string' ? cur : JSON.stringify(cur);
}

export function parseFieldSelector(selector: string | undefined | null): Matcher {
  if (!selector) return () => true;
  const reqs = splitTerms(selector).map((term) => {
    const m = /^([^\s!=]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid field selector term "${term}": expected path=value or path!=value`);
    return { key: m[1], neq: m[2] === '!=', value: m[3].trim() };
  });
  return (obj) => reqs.every((r) => (readField(obj, r.key) === r.value) !== r.neq);
}

/** Turn `matchLabels` into the string form Scale.status.selector carries. */
export function matchLabelsToString(labels: Record<string, string> | undefined): string {
  return Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
