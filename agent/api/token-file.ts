/**
 * Loads API tokens from a file or a directory.
 * - A file (YAML or JSON): a list of `{ name, token, scopes }`, or `{ tokens: [...] }`.
 * - A directory (e.g. a Kubernetes Secret mounted as files): every regular file not starting with
 *   a dot (Kubernetes keeps its `..data` links there) holds either such a list, or one
 *   `{ token, scopes }` object whose name defaults to the file name.
 * Errors name the file, the entry and its line:column.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { Scope, TokenAuth, TokenEntry } from './auth.js';
import { createTokenAuth, SCOPES } from './auth.js';

export const MIN_TOKEN_LENGTH = 16;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._@:-]{0,99}$/;

export class TokenFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenFileError';
  }
}

interface Located {
  readonly value: unknown;
  readonly where: string;
}

function checkEntry(raw: unknown, where: string, defaultName?: string): TokenEntry {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new TokenFileError(`${where}: expected an object { name, token, scopes }`);
  }
  const r = raw as Record<string, unknown>;
  const unknown = Object.keys(r).filter((k) => !['name', 'token', 'scopes'].includes(k));
  if (unknown.length) throw new TokenFileError(`${where}: unknown field ${unknown[0]}`);
  const name = r.name ?? defaultName;
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new TokenFileError(`${where}.name: must be 1-100 characters of letters, digits and ._@:-`);
  }
  if (typeof r.token !== 'string' || r.token.length < MIN_TOKEN_LENGTH || /\s/.test(r.token)) {
    throw new TokenFileError(
      `${where}.token: must be a string of at least ${MIN_TOKEN_LENGTH} characters without spaces`,
    );
  }
  const scopes = r.scopes;
  if (
    !Array.isArray(scopes) ||
    scopes.length === 0 ||
    !scopes.every((s) => (SCOPES as readonly unknown[]).includes(s))
  ) {
    throw new TokenFileError(`${where}.scopes: must be a non-empty list of ${SCOPES.join(', ')}`);
  }
  return { name, token: r.token, scopes: scopes as Scope[] };
}

function position(node: Node | null | undefined, lines: LineCounter): string {
  const offset = node?.range?.[0];
  if (offset === undefined) return '';
  const { line, col } = lines.linePos(offset);
  return ` (line ${line}, column ${col})`;
}

/** Parses one file's text into located raw entries. */
function parseEntries(text: string, source: string): { items: Located[]; single: boolean } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const err = doc.errors[0];
  if (err) {
    const { line, col } = lines.linePos(err.pos[0]);
    throw new TokenFileError(`${source} (line ${line}, column ${col}): ${err.message.split('\n')[0]}`);
  }
  let root = doc.contents as Node | null;
  let path = source;
  if (isMap(root) && root.has('tokens')) {
    root = root.get('tokens', true) as Node | null;
    path = `${source}: tokens`;
  }
  if (isSeq(root)) {
    return {
      single: false,
      items: root.items.map((item, i) => ({
        value: (item as Node).toJSON() as unknown,
        where: `${path}[${i}]${position(item as Node, lines)}`,
      })),
    };
  }
  if (isMap(root))
    return {
      single: true,
      items: [{ value: root.toJSON() as unknown, where: `${source}${position(root, lines)}` }],
    };
  throw new TokenFileError(`${source}: expected a list of { name, token, scopes }`);
}

export function parseTokenText(text: string, source: string, defaultName?: string): TokenEntry[] {
  const { items, single } = parseEntries(text, source);
  return items.map((it) => checkEntry(it.value, it.where, single ? defaultName : undefined));
}

function checkUnique(entries: readonly TokenEntry[], source: string): void {
  const names = new Set<string>();
  const tokens = new Set<string>();
  for (const e of entries) {
    if (names.has(e.name)) throw new TokenFileError(`${source}: token name ${e.name} appears twice`);
    if (tokens.has(e.token))
      throw new TokenFileError(`${source}: token of ${e.name} is also another entry's token`);
    names.add(e.name);
    tokens.add(e.token);
  }
}

/** Reads the entries of a token file or directory. */
export function readTokenEntries(path: string): TokenEntry[] {
  let entries: TokenEntry[];
  if (statSync(path).isDirectory()) {
    entries = readdirSync(path)
      .filter((f) => !f.startsWith('.'))
      .map((f) => join(path, f))
      .filter((f) => statSync(f).isFile())
      .sort()
      .flatMap((f) => parseTokenText(readFileSync(f, 'utf8'), f, basename(f).replace(/\.(ya?ml|json)$/, '')));
  } else {
    entries = parseTokenText(readFileSync(path, 'utf8'), path);
  }
  if (entries.length === 0) throw new TokenFileError(`${path}: no tokens defined`);
  checkUnique(entries, path);
  return entries;
}

export function loadTokenAuth(path: string): TokenAuth {
  return createTokenAuth(readTokenEntries(path));
}
