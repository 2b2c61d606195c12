/**
 * Strict readers for JSON from outside the process (kubelet summaries, collector reports,
 * metrics-server lists). Each failure throws a UsageFieldError naming the field path, e.g.
 * `pods[3].podRef.namespace`, so a log line says exactly what was wrong.
 */
export class UsageFieldError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
    readonly document = 'document',
  ) {
    super(`${document}: ${field} ${problem}`);
    this.name = 'UsageFieldError';
  }
}

export type Json = Record<string, unknown>;

/** "is missing", or "must be <expected>, got <what it was>". */
function whatIsWrong(value: unknown, expected: string): string {
  if (value === undefined) return 'is missing';
  return `must be ${expected}, got ${JSON.stringify(value)?.slice(0, 60) ?? String(value)}`;
}

export class FieldReader {
  constructor(readonly document: string) {}

  fail(field: string, problem: string): never {
    throw new UsageFieldError(field, problem, this.document);
  }

  object(value: unknown, field: string): Json {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Json;
    return this.fail(field, whatIsWrong(value, 'an object'));
  }

  array(value: unknown, field: string): readonly unknown[] {
    if (Array.isArray(value)) return value;
    return this.fail(field, whatIsWrong(value, 'an array'));
  }

  string(value: unknown, field: string): string {
    if (typeof value === 'string' && value !== '') return value;
    return this.fail(field, whatIsWrong(value, 'a non-empty string'));
  }

  /** A finite number >= 0. */
  amount(value: unknown, field: string): number {
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
    return this.fail(field, whatIsWrong(value, 'a number >= 0'));
  }
}
