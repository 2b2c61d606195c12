import { describe, expect, it } from 'vitest';
import { dailyProfile, generateTrace } from '../../sim/trace-generate.js';
import { parseTrace } from '../../sim/trace-parse.js';
import { formatTrace } from '../../sim/trace-write.js';

// 2024-01-01 is a Monday: days 0-4 are weekdays, 5-6 the weekend.
const week = generateTrace({ days: 7, seed: 3 });
const hour = (t: number) => new Date(t).getUTCHours();
const day = (t: number) => new Date(t).getUTCDay();

describe('generateTrace', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    expect(generateTrace({ days: 2, seed: 3 })).toEqual(generateTrace({ days: 2, seed: 3 }));
    expect(generateTrace({ days: 2, seed: 4 })).not.toEqual(generateTrace({ days: 2, seed: 3 }));
  });

  it('follows a daily cycle: busy office hours, quiet nights', () => {
    const weekday = week.filter(
      (j) => day(j.submitTime) >= 1 && day(j.submitTime) <= 5 && j.queue === 'adhoc',
    );
    const office = weekday.filter((j) => hour(j.submitTime) >= 10 && hour(j.submitTime) < 16).length;
    const night = weekday.filter((j) => hour(j.submitTime) >= 22 || hour(j.submitTime) < 4).length;
    expect(office).toBeGreaterThan(8 * night);
    expect(dailyProfile(13)).toBeGreaterThan(0.9);
    expect(dailyProfile(3)).toBeLessThan(0.1);
  });

  it('follows a weekly cycle: quiet weekends', () => {
    const perDay = new Map<number, number>();
    for (const j of week) perDay.set(day(j.submitTime), (perDay.get(day(j.submitTime)) ?? 0) + 1);
    const weekdayMean = [1, 2, 3, 4, 5].reduce((s, d) => s + (perDay.get(d) ?? 0), 0) / 5;
    const weekendMean = ((perDay.get(0) ?? 0) + (perDay.get(6) ?? 0)) / 2;
    expect(weekendMean).toBeLessThan(0.6 * weekdayMean);
  });

  it('runs the daily 02:00 UTC ETL batch and hourly jobs every day, on every queue', () => {
    const etl = week.filter((j) => j.app.startsWith('etl-daily'));
    expect(etl.length).toBe(7 * 10);
    expect(etl.every((j) => hour(j.submitTime) === 2 && new Date(j.submitTime).getUTCMinutes() < 11)).toBe(
      true,
    );
    const hourly = week.filter((j) => j.app.startsWith('etl-hourly'));
    expect(new Set(hourly.map((j) => Math.floor(j.submitTime / 3_600_000))).size).toBe(7 * 24);
    expect(new Set(week.map((j) => j.queue))).toEqual(new Set(['etl', 'adhoc', 'ml', 'backfill']));
  });

  it('writes CSV that parses back to the same jobs', () => {
    const jobs = generateTrace({ days: 1, seed: 9 });
    expect(parseTrace(formatTrace(jobs), { queues: ['etl', 'adhoc', 'ml', 'backfill'] })).toEqual(jobs);
  });
});
