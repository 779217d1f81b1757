import { describe, expect, it } from '@jest/globals';
import { plainToInstance } from 'class-transformer';
import { BusinessHoursConfig } from '../config/config.schema.js';
import { addBusinessMinutes, businessMsBetween, isOpen, openingHours } from './sla-clock.js';

const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);
const office = (extra: Record<string, unknown> = {}) =>
  openingHours(
    plainToInstance(BusinessHoursConfig, {
      timeZone: 'Europe/Amsterdam',
      monday: ['09:00-17:00'],
      tuesday: ['09:00-17:00'],
      wednesday: ['09:00-17:00'],
      thursday: ['09:00-17:00'],
      friday: ['09:00-17:00'],
      holidays: ['2026-12-25'],
      ...extra,
    }),
  );

describe('the SLA clock', () => {
  it('counts every minute when the brand has no business hours', () => {
    expect(addBusinessMinutes(at('2026-11-07T03:00:00Z'), 60, null)).toEqual(at('2026-11-07T04:00:00Z'));
    expect(businessMsBetween(at('2026-11-07T03:00:00Z'), at('2026-11-08T03:00:00Z'), null)).toBe(24 * HOUR);
    expect(isOpen(at('2026-11-08T03:00:00Z'), null)).toBe(true);
  });

  it('adds minutes within the opening hours of the day, in the brand time zone', () => {
    // Monday 10:00 in Amsterdam (UTC+1 in November).
    expect(addBusinessMinutes(at('2026-11-02T09:00:00Z'), 60, office())).toEqual(at('2026-11-02T10:00:00Z'));
  });

  it('pauses at closing time and goes on when the team opens the next morning', () => {
    // Monday 16:30: half an hour on Monday, half an hour from Tuesday 09:00.
    expect(addBusinessMinutes(at('2026-11-02T15:30:00Z'), 60, office())).toEqual(at('2026-11-03T08:30:00Z'));
    // Posted at night: the clock starts at opening time.
    expect(addBusinessMinutes(at('2026-11-02T22:00:00Z'), 60, office())).toEqual(at('2026-11-03T09:00:00Z'));
  });

  it('skips the weekend', () => {
    // Friday 16:30 → Monday 09:30.
    expect(addBusinessMinutes(at('2026-11-06T15:30:00Z'), 60, office())).toEqual(at('2026-11-09T08:30:00Z'));
    // Posted on Saturday: due Monday 10:00.
    expect(addBusinessMinutes(at('2026-11-07T12:00:00Z'), 60, office())).toEqual(at('2026-11-09T09:00:00Z'));
    // Friday 16:00 to Monday 10:00 is two hours of business time.
    expect(businessMsBetween(at('2026-11-06T15:00:00Z'), at('2026-11-09T09:00:00Z'), office())).toBe(2 * HOUR);
  });

  it('skips holidays', () => {
    // Thursday 24 December 16:30; Friday the 25th is closed, then the weekend: Monday 28th 09:30.
    expect(addBusinessMinutes(at('2026-12-24T15:30:00Z'), 60, office())).toEqual(at('2026-12-28T08:30:00Z'));
    expect(isOpen(at('2026-12-25T10:00:00Z'), office())).toBe(false);
  });

  it('keeps local opening hours when summer time starts and ends', () => {
    // Friday 27 March 16:30 CET; summer time starts on Sunday: Monday 09:30 CEST is 07:30 UTC.
    expect(addBusinessMinutes(at('2026-03-27T15:30:00Z'), 60, office())).toEqual(at('2026-03-30T07:30:00Z'));
    // Friday 23 October 16:30 CEST; summer time ends on Sunday: Monday 09:30 CET is 08:30 UTC.
    expect(addBusinessMinutes(at('2026-10-23T14:30:00Z'), 60, office())).toEqual(at('2026-10-26T08:30:00Z'));
  });

  it('counts the real length of a day that summer time shortens or lengthens', () => {
    const allDay = Object.fromEntries(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((d) => [d, ['00:00-24:00']]));
    const always = office(allDay);
    // Sunday 29 March has 23 hours in Amsterdam, Sunday 25 October 25.
    expect(businessMsBetween(at('2026-03-28T23:00:00Z'), at('2026-03-29T22:00:00Z'), always)).toBe(23 * HOUR);
    expect(businessMsBetween(at('2026-10-24T22:00:00Z'), at('2026-10-25T23:00:00Z'), always)).toBe(25 * HOUR);
    // A day of minutes is a day of real time across the change.
    expect(addBusinessMinutes(at('2026-03-28T22:00:00Z'), 24 * 60, always)).toEqual(at('2026-03-29T22:00:00Z'));
    // Open 01:00-03:00 on the night the clocks skip 02:00-03:00: one real hour.
    const night = office({ sunday: ['01:00-03:00'] });
    expect(businessMsBetween(at('2026-03-28T12:00:00Z'), at('2026-03-29T12:00:00Z'), night)).toBe(HOUR);
  });

  it('leaves a lunch break out', () => {
    const split = office({ monday: ['09:00-12:00', '13:00-17:00'] });
    // Monday 11:30 + 60 minutes: 30 before lunch, 30 after: 13:30.
    expect(addBusinessMinutes(at('2026-11-02T10:30:00Z'), 60, split)).toEqual(at('2026-11-02T12:30:00Z'));
    expect(isOpen(at('2026-11-02T11:30:00Z'), split)).toBe(false);
  });

  it('is open from the opening minute up to, not including, closing time', () => {
    expect(isOpen(at('2026-11-02T08:00:00Z'), office())).toBe(true);
    expect(isOpen(at('2026-11-02T15:59:59Z'), office())).toBe(true);
    expect(isOpen(at('2026-11-02T16:00:00Z'), office())).toBe(false);
    expect(isOpen(at('2026-11-07T10:00:00Z'), office())).toBe(false);
  });

  it('refuses a schedule that never opens instead of looping', () => {
    const closed = office({ monday: [], tuesday: [], wednesday: [], thursday: [], friday: [] });
    expect(() => addBusinessMinutes(at('2026-11-02T09:00:00Z'), 60, closed)).toThrow(/No opening hours/);
  });
});
