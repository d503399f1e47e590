/**
 * The learning rate at each training step: a linear warm-up from near 0 to the peak over the first
 * `warmupSteps` (large early steps from random weights otherwise knock Adam's moment estimates
 * off), then a half-cosine decay to `finalFraction`·peak at the last step (Loshchilov & Hutter,
 * SGDR, ICLR 2017, without restarts). `constant` keeps the peak throughout (after any warm-up).
 */
export const SCHEDULES = ['cosine', 'constant'] as const;
export type Schedule = (typeof SCHEDULES)[number];

export interface ScheduleOptions {
  readonly schedule: Schedule;
  readonly peak: number;
  readonly totalSteps: number;
  readonly warmupSteps: number;
  /** Where the cosine ends, as a share of the peak. Default 0. */
  readonly finalFraction?: number;
}

export function parseSchedule(value: string): Schedule {
  if ((SCHEDULES as readonly string[]).includes(value)) return value as Schedule;
  throw new Error(
    `learningRateSchedule must be one of ${SCHEDULES.join(', ')}, got '${value}'; cosine (after the warm-up) is the default.`,
  );
}

/** The learning rate of `step` (0-based). */
export function learningRateAt(step: number, options: ScheduleOptions): number {
  const { peak, totalSteps, warmupSteps, finalFraction = 0 } = options;
  if (warmupSteps > 0 && step < warmupSteps) return (peak * (step + 1)) / warmupSteps;
  if (options.schedule === 'constant') return peak;
  const decaySteps = Math.max(1, totalSteps - warmupSteps - 1);
  const progress = Math.min(1, (step - warmupSteps) / decaySteps);
  const floor = peak * finalFraction;
  return floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
}
