/**
 * Bearer-token authentication with two scopes: `read` (GET routes) and `write` (changes; implies
 * read). Tokens are kept only as SHA-256 digests and compared with timingSafeEqual over digests,
 * so neither the content nor the length of a token leaks through timing; every entry is compared
 * on every request, so which entry matched does not leak either.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export const SCOPES = ['read', 'write'] as const;
export type Scope = (typeof SCOPES)[number];

export interface TokenEntry {
  /** Who holds the token: recorded as createdBy and in the audit log. */
  readonly name: string;
  readonly token: string;
  readonly scopes: readonly Scope[];
}

export interface Principal {
  readonly name: string;
  readonly scopes: ReadonlySet<Scope>;
}

export interface TokenAuth {
  /** The principal for an `Authorization` header value, or undefined when it names no token. */
  authenticate(authorization: string | undefined): Principal | undefined;
}

/** Used when auth is disabled (local demo): everyone may read and write. */
export const ANONYMOUS: Principal = { name: 'anonymous', scopes: new Set(SCOPES) };

export function hasScope(p: Principal, needed: Scope): boolean {
  return p.scopes.has(needed) || (needed === 'read' && p.scopes.has('write'));
}

const digest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/** The token of a `Bearer <token>` header, or undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
  return m?.[1];
}

export function createTokenAuth(entries: readonly TokenEntry[]): TokenAuth {
  const known = entries.map((e) => ({
    hash: digest(e.token),
    principal: { name: e.name, scopes: new Set(e.scopes) } as Principal,
  }));
  return {
    authenticate(authorization) {
      const token = bearerToken(authorization);
      if (token === undefined) return undefined;
      const presented = digest(token);
      let match: Principal | undefined;
      for (const k of known) {
        if (timingSafeEqual(presented, k.hash)) match = k.principal;
      }
      return match;
    },
  };
}
