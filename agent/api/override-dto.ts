/** An override as the API shows it: the stored record plus its state at `now`. */
import type { Override } from '../store/override-model.js';
import type { OverrideState } from '../store/override-schedule.js';
import { overrideState } from '../store/override-schedule.js';

export type OverrideDto = Override & { readonly state: OverrideState };

export const overrideDto = (o: Override, now: number): OverrideDto => ({
  ...o,
  state: overrideState(o, now),
});
