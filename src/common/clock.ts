// Services ask the clock for the time, so tests can move it (STYLE: rules take the time passed in).
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
