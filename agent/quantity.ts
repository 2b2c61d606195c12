/**
 * Kubernetes resource quantities ("500m", "4", "16Gi", "1e3", "128M") as plain numbers:
 * cpu in cores, memory in bytes. Follows apimachinery's resource.Quantity suffixes.
 */
export class QuantityError extends Error {}

const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

const PATTERN = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|([eE][+-]?\d+))?$/;

/** Parses a quantity into its numeric value in base units; throws QuantityError when malformed. */
export function parseQuantity(quantity: string | number): number {
  if (typeof quantity === 'number') {
    if (!Number.isFinite(quantity)) throw new QuantityError(`not a finite number: ${quantity}`);
    return quantity;
  }
  const match = PATTERN.exec(quantity.trim());
  if (!match) throw new QuantityError(`not a Kubernetes quantity: "${quantity}"`);
  const [, digits, suffix, exponent] = match;
  const base = Number(digits);
  if (exponent) return base * 10 ** Number(exponent.slice(1));
  const scale = suffix ? (BINARY[suffix] ?? DECIMAL[suffix]) : 1;
  return base * (scale ?? 1);
}

/** Like parseQuantity but returns `fallback` for a missing or malformed value (untrusted objects). */
export function parseQuantityOr(quantity: string | number | undefined | null, fallback: number): number {
  if (quantity === undefined || quantity === null) return fallback;
  try {
    return parseQuantity(quantity);
  } catch {
    return fallback;
  }
}

/** Formats bytes as the largest binary unit that keeps an integer, e.g. 17179869184 -> "16Gi". */
export function formatBytes(bytes: number): string {
  for (const unit of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki'] as const) {
    const scale = BINARY[unit]!;
    if (bytes >= scale && bytes % scale === 0) return `${bytes / scale}${unit}`;
  }
  return String(bytes);
}
