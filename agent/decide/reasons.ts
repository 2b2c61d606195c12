/** Small helpers so every reason reads the same way and carries its numbers. */
import type { NodeShape } from '../config/types.js';
import { formatSeconds } from '../config/duration.js';
import { formatBytes } from '../quantity.js';
import type { Reason, ReasonCode } from './plan.js';

export const reason = (code: ReasonCode, message: string): Reason => ({ code, message });

export const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

export const nodes = (count: number): string => plural(count, 'node');

export function shapeText(shape: NodeShape): string {
  const memory = Number.isInteger(shape.memoryBytes)
    ? formatBytes(shape.memoryBytes)
    : `${shape.memoryBytes} bytes`;
  return `${shape.cpu} cpu, ${memory}, ${shape.pods} pods`;
}

/** Milliseconds -> "4m10s". */
export const since = (ms: number): string => formatSeconds(ms / 1000);

/** Demand numbers with at most one decimal. */
export const amount = (value: number): string => String(Math.round(value * 10) / 10);
