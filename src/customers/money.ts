// Money is counted in integer minor units (cents): never a float on the way in, stored or added.

// ISO 4217 minor-unit digits, as the runtime's ICU knows them: EUR 2, JPY 0, KWD 3.
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && Intl.supportedValuesOf('currency').includes(code);
}

// Up to a billion in the major unit: far beyond any goodwill gesture, and exact as a JS number.
const DECIMAL = /^(\d{1,10})(?:\.(\d+))?$/;
const MAX_MINOR = 10 ** 12;

// "12.5" EUR is 1250: read digit by digit, so no binary fraction ever rounds a cent. Null when the
// text is no plain decimal or carries more decimals than the currency has.
export function toMinorUnits(amount: string | number, currency: string): number | null {
  const text = typeof amount === 'number' ? (Number.isFinite(amount) ? String(amount) : '') : amount.trim();
  const match = DECIMAL.exec(text);
  if (!match) return null;
  const digits = minorDigits(currency);
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > digits) return null;
  const minor = Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return minor <= MAX_MINOR ? minor : null;
}

// 1250 EUR is "12.50"; -300 is "-3.00".
export function formatMinor(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const whole = Math.abs(minor);
  if (!digits) return `${sign}${whole}`;
  const text = String(whole).padStart(digits + 1, '0');
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

export interface Money {
  amountMinor: number;
  amount: string;
  currency: string;
}

export function money(minor: number, currency: string): Money {
  return { amountMinor: minor, amount: formatMinor(minor, currency), currency };
}

// The budget month an offer counts in: the calendar month at that moment in the brand's time zone.
export function budgetMonth(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}`;
}

// An offer fits when it does not take the month's spending past the budget; the conditional
// upsert in GoodwillService asks the same of the stored total.
export function fitsBudget(spentMinor: number, amountMinor: number, budgetMinor: number): boolean {
  return spentMinor + amountMinor <= budgetMinor;
}

// What is left can be negative: a manager may approve an offer past the budget.
export function budgetLeft(budgetMinor: number, spentMinor: number): number {
  return budgetMinor - spentMinor;
}
