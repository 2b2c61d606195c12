/**
 * Reads one Spark setting of a SparkApplication spec the way the Spark Operator hands it to
 * spark-submit: a typed spec field (e.g. `spec.executor.memory`) becomes a `--conf` that wins over
 * the same key in `spec.sparkConf`, and Spark's own default applies when neither is set.
 *
 * Every reader records a problem naming the field path (`spec.executor.memory`, or
 * `spec.sparkConf["spark.executor.memory"]`) and returns the fallback instead of throwing, so one
 * bad field never hides the rest of the object.
 */
import { parseQuantity } from '../quantity.js';
import { asObject, stringMap } from './object-fields.js';

const KiB = 2 ** 10;
export const MiB = 2 ** 20;
export const GiB = 2 ** 30;

/** Spark's byte-string suffixes (JavaUtils.byteStringAs); the bare number takes a per-key default unit. */
const SPARK_UNITS: Record<string, number> = {
  b: 1,
  k: KiB,
  kb: KiB,
  m: MiB,
  mb: MiB,
  g: GiB,
  gb: GiB,
  t: 2 ** 40,
  tb: 2 ** 40,
  p: 2 ** 50,
  pb: 2 ** 50,
};

export class SparkSettingError extends Error {}

/**
 * A Spark memory size ("512m", "4g", "1t", "2048", case-insensitive, `k`/`kb`/`mb`/`gb` ...) in
 * bytes. A bare number is in `defaultUnitBytes` (MiB for spark.executor.memory and the overheads).
 * Spark refuses fractions ("1.5g") and spaces ("4 GB"), and so does this; throws SparkSettingError.
 */
export function parseSparkMemory(value: string | number, defaultUnitBytes = MiB): number {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0) return value * defaultUnitBytes;
    throw new SparkSettingError(`not a Spark memory size, got ${value}`);
  }
  const text = value.trim().toLowerCase();
  const m = /^(\d+)([a-z]+)?$/.exec(text);
  if (m) {
    const unit = m[2] === undefined ? defaultUnitBytes : SPARK_UNITS[m[2]];
    if (unit !== undefined) return Number(m[1]) * unit;
  }
  if (/^\d+\.\d+[a-z]*$/.test(text)) {
    throw new SparkSettingError(`fractional sizes are not supported by Spark, got "${value}"`);
  }
  throw new SparkSettingError(`not a Spark memory size, got "${value}"`);
}

/** Where a setting was found, for problems: the value and its field path. */
export interface Found {
  readonly value: unknown;
  readonly at: string;
}

/** The spec of one SparkApplication (or a ScheduledSparkApplication's template) being read. */
export class SparkSpecReader {
  readonly spec: Record<string, unknown>;
  readonly conf: Readonly<Record<string, string>>;

  constructor(
    specRaw: unknown,
    /** Field path of the spec, e.g. `spec` or `spec.template`. */
    readonly path: string,
    readonly problems: string[],
  ) {
    this.spec = asObject(specRaw) ?? {};
    this.conf = stringMap(this.spec.sparkConf);
  }

  /** `spec.<section>.<field>` if set, else `sparkConf[confKey]` (either may be omitted). */
  find(section: string | null, field: string | null, confKey: string | null): Found | undefined {
    const obj = section === null ? this.spec : asObject(this.spec[section]);
    if (field !== null && obj?.[field] !== undefined && obj[field] !== null) {
      const at = section === null ? `${this.path}.${field}` : `${this.path}.${section}.${field}`;
      return { value: obj[field], at };
    }
    return this.confValue(confKey);
  }

  confValue(key: string | null): Found | undefined {
    if (key === null || this.conf[key] === undefined) return undefined;
    return { value: this.conf[key], at: `${this.path}.sparkConf["${key}"]` };
  }

  problem(at: string, message: string): void {
    this.problems.push(`${at}: ${message}`);
  }

  memory(found: Found | undefined, fallback: number, defaultUnitBytes = MiB): number {
    if (!found) return fallback;
    return this.parse(found, fallback, () => {
      if (typeof found.value !== 'string' && typeof found.value !== 'number')
        throw notA('Spark memory size', found);
      return parseSparkMemory(found.value, defaultUnitBytes);
    });
  }

  /** A cpu amount as a Kubernetes quantity ("500m", "1.5", 2), > 0. */
  cpu(found: Found | undefined, fallback: number): number {
    if (!found) return fallback;
    return this.parse(found, fallback, () => {
      if (typeof found.value !== 'string' && typeof found.value !== 'number')
        throw notA('cpu quantity', found);
      const cores = parseQuantity(found.value);
      if (!(cores > 0)) throw new SparkSettingError(`must be > 0, got ${JSON.stringify(found.value)}`);
      return cores;
    });
  }

  /** A whole number >= `min` (int32 spec fields, or their sparkConf strings). */
  count(found: Found | undefined, min = 0): number | undefined {
    if (!found) return undefined;
    return this.parse<number | undefined>(found, undefined, () => {
      const n =
        typeof found.value === 'string' && /^\s*-?\d+\s*$/.test(found.value)
          ? Number(found.value)
          : found.value;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < min) {
        throw new SparkSettingError(`must be a whole number >= ${min}, got ${JSON.stringify(found.value)}`);
      }
      return n;
    });
  }

  /** A non-negative decimal (memory overhead factors are strings in the CRD and in sparkConf). */
  factor(found: Found | undefined): number | undefined {
    if (!found) return undefined;
    return this.parse<number | undefined>(found, undefined, () => {
      const n =
        typeof found.value === 'string' && found.value.trim() !== '' ? Number(found.value) : found.value;
      if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
        throw new SparkSettingError(`must be a number >= 0, got ${JSON.stringify(found.value)}`);
      }
      return n;
    });
  }

  /** true/false (spec booleans, or "true"/"false" in sparkConf). */
  flag(found: Found | undefined): boolean | undefined {
    if (!found) return undefined;
    const v = typeof found.value === 'string' ? found.value.trim().toLowerCase() : found.value;
    if (v === true || v === 'true') return true;
    if (v === false || v === 'false') return false;
    this.problem(found.at, `must be true or false, got ${JSON.stringify(found.value)}`);
    return undefined;
  }

  private parse<T>(found: Found, fallback: T, read: () => T): T {
    try {
      return read();
    } catch (err) {
      this.problem(found.at, (err as Error).message);
      return fallback;
    }
  }
}

function notA(what: string, found: Found): SparkSettingError {
  return new SparkSettingError(`not a ${what}, got ${JSON.stringify(found.value)}`);
}
