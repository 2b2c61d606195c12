/**
 * A strict JSON body parser: JSON.parse keeps the last of duplicate keys and accepts lone
 * surrogates (`"\ud800"`), both of which would let a body mean something other than it says.
 * Either is a 400 naming the path (`body.a.b`).
 */
import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors.js';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

interface Frame {
  readonly keys: Set<string> | null; // null: an array
  readonly path: string;
  index: number;
  pendingKey: boolean;
}

/** Reads the JSON string starting at text[i] (a quote); returns its value and the index after it. */
function readString(text: string, i: number): [string, number] {
  let j = i + 1;
  while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
  return [JSON.parse(text.slice(i, j + 1)) as string, j + 1];
}

/** Throws on a duplicate key or a lone surrogate in text, which JSON.parse has already accepted. */
function checkStrict(text: string): void {
  const stack: Frame[] = [];
  const top = () => stack[stack.length - 1];
  const childPath = (f: Frame | undefined, key?: string) =>
    f === undefined ? 'body' : `${f.path}.${f.keys ? key : f.index}`;
  let lastKey = '';
  for (let i = 0; i < text.length;) {
    const ch = text[i]!;
    if (ch === '"') {
      const [value, next] = readString(text, i);
      const f = top();
      const isKey = f?.keys != null && f.pendingKey;
      const where = isKey ? `${f.path}.${value}` : childPath(f, lastKey);
      if (LONE_SURROGATE.test(value)) throw new ApiError(400, `${where}: contains a lone surrogate`, where);
      if (isKey) {
        if (f.keys!.has(value)) throw new ApiError(400, `${where}: duplicate key`, where);
        f.keys!.add(value);
        f.pendingKey = false;
        lastKey = value;
      }
      i = next;
      continue;
    }
    if (ch === '{' || ch === '[') {
      const path = childPath(top(), lastKey);
      stack.push({ keys: ch === '{' ? new Set() : null, path, index: 0, pendingKey: ch === '{' });
    } else if (ch === '}' || ch === ']') {
      stack.pop();
    } else if (ch === ',') {
      const f = top()!;
      if (f.keys) f.pendingKey = true;
      else f.index++;
    }
    i++;
  }
}

export function parseStrictJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ApiError(400, `body is not valid JSON: ${(err as Error).message}`, 'body');
  }
  checkStrict(text);
  return value;
}

/** Replaces fastify's JSON parser with the strict one (an empty body stays a 400). */
export function useStrictJson(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseStrictJson(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}
