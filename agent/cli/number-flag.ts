/** A positive number flag shared by `start` and the demo; the error names the flag. */
export class FlagError extends Error {}

export function numberFlag(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new FlagError(`--${name}: must be a positive number, got "${value}"`);
  return n;
}
