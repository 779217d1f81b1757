import { DateTime } from 'luxon';
import { type BusinessHoursConfig, WEEKDAYS } from '../config/config.schema.js';

// A brand's opening hours, ready to count with: per ISO weekday (1 = Monday) the open spans in
// minutes from local midnight, and the local dates it is closed.
export interface OpeningHours {
  timeZone: string;
  week: ReadonlyArray<ReadonlyArray<readonly [number, number]>>;
  holidays: ReadonlySet<string>;
  // Local days already worked out, by their first instant: every case of a week meets the same
  // few days, and time zone arithmetic is the costly part.
  days: Map<number, LocalDay>;
  lastDay: LocalDay | null;
}

// One local day: its first instant, the next day's, and its open spans as instants.
interface LocalDay {
  start: number;
  next: number;
  spans: readonly (readonly [number, number])[];
}

const CACHED_DAYS = 4096;

// Holidays and weekends together never close a team for this long; a schedule that does is a mistake.
const MAX_DAYS = 3 * 366;

const parsed = new WeakMap<BusinessHoursConfig, OpeningHours>();

// Null (no business hours configured) means always open: the clocks never pause.
export function openingHours(config: BusinessHoursConfig | undefined | null): OpeningHours | null {
  if (!config) return null;
  let hours = parsed.get(config);
  if (!hours) {
    hours = {
      timeZone: config.timeZone,
      week: [[], ...WEEKDAYS.map((day) => (config[day] ?? []).map(openingSpan).sort((a, b) => a[0] - b[0]))],
      holidays: new Set(config.holidays ?? []),
      days: new Map(),
      lastDay: null,
    };
    parsed.set(config, hours);
  }
  return hours;
}

// "09:00-17:30" as minutes from local midnight: [540, 1050].
export function openingSpan(text: string): [number, number] {
  const [from, to] = text.split('-').map((t) => {
    const [h, m] = t.split(':').map(Number);
    return h * 60 + m;
  });
  return [from, to];
}

// The instant N business minutes after start: the time only runs while the brand is open.
export function addBusinessMinutes(start: Date, minutes: number, hours: OpeningHours | null): Date {
  const startMs = start.getTime();
  if (!hours) return new Date(startMs + minutes * 60_000);
  let left = minutes * 60_000;
  let day = dayOf(startMs, hours);
  for (let i = 0; i < MAX_DAYS; i++, day = dayStarting(day.next, hours)) {
    for (const [from, to] of day.spans) {
      const begin = Math.max(from, startMs);
      if (begin >= to) continue;
      if (left <= to - begin) return new Date(begin + left);
      left -= to - begin;
    }
  }
  throw new Error(`No opening hours within ${MAX_DAYS} days in ${hours.timeZone}`);
}

// Milliseconds of business time between two instants; 0 when `to` is not after `from`.
export function businessMsBetween(from: Date, to: Date, hours: OpeningHours | null): number {
  const fromMs = from.getTime();
  const toMs = to.getTime();
  if (toMs <= fromMs) return 0;
  if (!hours) return toMs - fromMs;
  let total = 0;
  for (let day = dayOf(fromMs, hours); day.start < toMs; day = dayStarting(day.next, hours)) {
    for (const [begin, end] of day.spans) total += Math.max(0, Math.min(end, toMs) - Math.max(begin, fromMs));
  }
  return total;
}

// Whether the brand is open at this instant; the clocks pause while it is not.
export function isOpen(at: Date, hours: OpeningHours | null): boolean {
  if (!hours) return true;
  const ms = at.getTime();
  return dayOf(ms, hours).spans.some(([from, to]) => from <= ms && ms < to);
}

// The local day an instant falls in.
function dayOf(ms: number, hours: OpeningHours): LocalDay {
  const last = hours.lastDay;
  if (last && last.start <= ms && ms < last.next) return last;
  return (hours.lastDay = dayStarting(DateTime.fromMillis(ms, { zone: hours.timeZone }).startOf('day').toMillis(), hours));
}

function dayStarting(start: number, hours: OpeningHours): LocalDay {
  let day = hours.days.get(start);
  if (!day) {
    const local = DateTime.fromMillis(start, { zone: hours.timeZone });
    day = { start, next: local.plus({ days: 1 }).toMillis(), spans: spansOn(local, hours) };
    if (hours.days.size >= CACHED_DAYS) hours.days.clear();
    hours.days.set(start, day);
  }
  return day;
}

// The open spans of one local day as instants. Built from the local date and time, so a day of
// 23 or 25 hours (summer time starting or ending) has its spans at the right instants.
function spansOn(day: DateTime, hours: OpeningHours): [number, number][] {
  if (hours.holidays.has(day.toISODate()!)) return [];
  return hours.week[day.weekday].map(([from, to]) => [localTime(day, from), localTime(day, to)] as [number, number]).filter(([from, to]) => from < to);
}

// A time the clocks skip (02:30 when summer time starts) is moved on by the gap, as luxon does.
function localTime(day: DateTime, minutes: number): number {
  if (minutes === 24 * 60) return day.plus({ days: 1 }).toMillis();
  return day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60 }).toMillis();
}
