/**
 * The one source of "now" for time-driven features (restore completion and expiry, lifecycle,
 * minimum storage durations), so tests can move time forward instead of waiting days.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * Real time plus an offset that only grows (BARBUCKET_TEST_CLOCK=1). Time keeps flowing, so short
 * real delays (a 200 ms restore) still elapse, and `advance` jumps over days at once.
 */
export class TestClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError("the test clock only moves forward (advanceMs >= 0)");
    this.offsetMs += ms;
    return this.now();
  }

  get offset(): number {
    return this.offsetMs;
  }
}
