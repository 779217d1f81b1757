import { Clock } from '../../src/common/clock.js';

// Time that moves only when a test says so.
export class TestClock extends Clock {
  private current: number;

  constructor(start = new Date('2026-11-02T09:00:00Z')) {
    super();
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current += ms;
  }

  set(at: Date): void {
    this.current = at.getTime();
  }
}
