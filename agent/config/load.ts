/**
 * Loads nodecast's configuration: YAML text (a file, NODECAST_CONFIG, or the embedded default)
 * -> environment overrides -> schema -> defaults -> semantic checks -> a frozen Config.
 * Every problem is collected and thrown at once as a ConfigError naming field paths and, for
 * values present in the file, their line and column.
 */
import { readFileSync } from 'node:fs';
import { isMap, LineCounter, parseDocument, type Document } from 'yaml';
import { DEFAULT_CONFIG_YAML } from './default-config.js';
import { applyEnvOverrides, readEnvOverrides, type EnvOverride } from './env.js';
import { ConfigError, formatPath, type ConfigIssue } from './errors.js';
import { normalise } from './normalise.js';
import { checkSemantics } from './semantics.js';
import type { Config } from './types.js';
import { validateStructure, type RawIssue, type Segment } from './validate.js';

export { ConfigError } from './errors.js';
export type { ConfigIssue } from './errors.js';

export interface LoadOptions {
  /** Path of a YAML file; defaults to $NODECAST_CONFIG, then the embedded default. */
  readonly file?: string;
  /** Environment for overrides; defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** YAML text to use instead of a file (tests, API). */
  readonly yamlText?: string;
}

let cachedDefault: Config | undefined;

/** The embedded default configuration (no environment overrides); frozen, so shared safely. */
export function defaultConfig(): Config {
  cachedDefault ??= fromYaml(DEFAULT_CONFIG_YAML, 'embedded default configuration', {});
  return cachedDefault;
}

/** Loads, overrides from the environment, validates and normalises. Throws ConfigError. */
export function loadConfig(opts: LoadOptions = {}): Config {
  const env = opts.env ?? process.env;
  if (opts.yamlText !== undefined) return fromYaml(opts.yamlText, 'configuration', env);
  const file = opts.file ?? (env.NODECAST_CONFIG || undefined);
  if (file === undefined) return fromYaml(DEFAULT_CONFIG_YAML, 'embedded default configuration', env);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const path = opts.file === undefined ? 'NODECAST_CONFIG' : 'file';
    throw new ConfigError([{ path, message: `cannot read ${file}: ${(error as Error).message}` }], file);
  }
  return fromYaml(text, file, env);
}

/** Validates and normalises already-parsed data (no environment, no file positions). */
export function parseConfig(raw: unknown, source = 'configuration'): Config {
  const issues = check(raw);
  if (issues.length)
    throw new ConfigError(
      issues.map((issue) => ({ path: formatPath(issue.segments), message: issue.message })),
      source,
    );
  return deepFreeze(normalise(raw));
}

function fromYaml(text: string, source: string, env: NodeJS.ProcessEnv): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length) {
    const issues = doc.errors.map((error) => {
      const position = lineCounter.linePos(error.pos[0]);
      return {
        path: '(yaml)',
        message: error.message.split('\n')[0]!,
        line: position.line,
        column: position.col,
      };
    });
    throw new ConfigError(issues, source);
  }
  const { overrides, issues: envIssues } = readEnvOverrides(env);
  const applied = applyEnvOverrides(doc.toJS(), overrides);
  const issues = [...envIssues, ...applied.issues];
  for (const issue of check(applied.raw)) issues.push(place(issue, doc, lineCounter, overrides));
  if (issues.length) throw new ConfigError(issues, source);
  return deepFreeze(normalise(applied.raw));
}

function check(raw: unknown): RawIssue[] {
  const structural = validateStructure(raw);
  return [...structural, ...checkSemantics(normalise(raw), structural)];
}

/** Adds the file position, or the variable that set the value when it came from the environment. */
function place(
  issue: RawIssue,
  doc: Document,
  lines: LineCounter,
  overrides: readonly EnvOverride[],
): ConfigIssue {
  const path = formatPath(issue.segments);
  const fromEnv = overrides.find((o) => startsWith(issue.segments, o.segments));
  if (fromEnv) return { path, message: `${issue.message} (set by ${fromEnv.variable})` };
  const offset = locate(doc, issue.segments, issue.atKey === true);
  if (offset === undefined) return { path, message: issue.message };
  const { line, col } = lines.linePos(offset);
  return { path, message: issue.message, line, column: col };
}

function startsWith(path: readonly Segment[], prefix: readonly Segment[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => String(segment) === String(path[i]));
}

/** Offset of the deepest node of `segments` present in the document (a missing key: its parent). */
function locate(doc: Document, segments: readonly Segment[], atKey: boolean): number | undefined {
  for (let depth = segments.length; depth >= 0; depth--) {
    const path = segments.slice(0, depth);
    if (atKey && depth === segments.length && depth > 0) {
      const parent = doc.getIn(path.slice(0, -1), true);
      if (isMap(parent)) {
        const pair = parent.items.find(
          (item) => (item.key as { value?: unknown } | null)?.value === path[depth - 1],
        );
        const range = (pair?.key as { range?: [number, number, number] } | null)?.range;
        if (range) return range[0];
      }
      continue;
    }
    const node = depth === 0 ? doc.contents : doc.getIn(path, true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) return range[0];
  }
  return undefined;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
