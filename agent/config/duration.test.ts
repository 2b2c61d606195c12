import { describe, expect, it } from 'vitest';
import { formatSeconds, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    [30, 30],
    ['45', 45],
    ['2.5', 2.5],
    ['500ms', 0.5],
    ['30s', 30],
    ['10m', 600],
    ['1h30m', 5400],
    ['2d', 172800],
    [' 1h ', 3600],
  ])('%j is %d seconds', (input, seconds) => {
    expect(parseDuration(input)).toBe(seconds);
  });

  it.each([-1, Infinity, '', '10 m', '5 minutes', '1y', 'm', '-5s', '1h-30m'])('rejects %j', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });
});

describe('formatSeconds', () => {
  it('writes the largest units first and drops empty ones', () => {
    expect(formatSeconds(0)).toBe('0s');
    expect(formatSeconds(90)).toBe('1m30s');
    expect(formatSeconds(3600)).toBe('1h');
    expect(formatSeconds(90061)).toBe('1d1h1m1s');
  });
});
