/** Query parameters about time: a forecast horizon and a `since` bound. */
import { parseDuration } from '../config/duration.js';
import { ApiError } from './errors.js';

export const MIN_HORIZON_SECONDS = 60;
export const MAX_HORIZON_SECONDS = 7 * 86_400;
export const DEFAULT_HORIZON_SECONDS = 2 * 3600;

/** `30m`, `2h`, `1h30m` or seconds (`5400`), within [1 min, 7 d]. */
export function parseHorizon(value: string | undefined, field = 'querystring.horizon'): number {
  if (value === undefined) return DEFAULT_HORIZON_SECONDS;
  const seconds = parseDuration(value);
  if (seconds === undefined)
    throw new ApiError(400, `${field} must be a duration like 30m, 2h or 3600 (seconds)`, field);
  if (seconds < MIN_HORIZON_SECONDS || seconds > MAX_HORIZON_SECONDS) {
    throw new ApiError(
      400,
      `${field} must be between ${MIN_HORIZON_SECONDS}s and ${MAX_HORIZON_SECONDS / 86_400}d`,
      field,
    );
  }
  return Math.floor(seconds);
}

/** An ISO-8601 instant, or a duration back from now (`1h` = one hour ago). Epoch ms. */
export function parseSince(
  value: string | undefined,
  now: number,
  field = 'querystring.since',
): number | undefined {
  if (value === undefined) return undefined;
  const ago = parseDuration(value);
  if (ago !== undefined) return now - Math.floor(ago * 1000);
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new ApiError(
      400,
      `${field} must be an ISO-8601 date-time or a duration back from now like 1h`,
      field,
    );
  }
  return ms;
}
