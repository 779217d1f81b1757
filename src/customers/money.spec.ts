import { describe, expect, it } from '@jest/globals';
import { budgetLeft, budgetMonth, fitsBudget, formatMinor, isCurrency, minorDigits, toMinorUnits } from './money.js';

describe('money in minor units', () => {
  it('knows how many decimals a currency has', () => {
    expect(minorDigits('EUR')).toBe(2);
    expect(minorDigits('JPY')).toBe(0);
    expect(minorDigits('KWD')).toBe(3);
  });

  it('accepts ISO 4217 codes only', () => {
    expect(isCurrency('EUR')).toBe(true);
    expect(isCurrency('eur')).toBe(false);
    expect(isCurrency('XYZ')).toBe(false);
  });

  it('reads a decimal amount exactly, without floating-point rounding', () => {
    expect(toMinorUnits('12.50', 'EUR')).toBe(1250);
    expect(toMinorUnits('12.5', 'EUR')).toBe(1250);
    expect(toMinorUnits('0.10', 'EUR')).toBe(10);
    expect(toMinorUnits(0.29, 'EUR')).toBe(29);
    expect(toMinorUnits(150, 'EUR')).toBe(15000);
    expect(toMinorUnits('1.005', 'KWD')).toBe(1005);
    expect(toMinorUnits('500', 'JPY')).toBe(500);
    // A float sum is refused rather than rounded: 0.30000000000000004 has more decimals than EUR.
    expect(toMinorUnits(0.1 + 0.2, 'EUR')).toBeNull();
  });

  it('refuses more decimals than the currency has, signs, exponents and words', () => {
    expect(toMinorUnits('12.345', 'EUR')).toBeNull();
    expect(toMinorUnits('12.340', 'EUR')).toBe(1234);
    expect(toMinorUnits('5.5', 'JPY')).toBeNull();
    expect(toMinorUnits('-5', 'EUR')).toBeNull();
    expect(toMinorUnits('1e3', 'EUR')).toBeNull();
    expect(toMinorUnits('ten', 'EUR')).toBeNull();
    expect(toMinorUnits(Number.NaN, 'EUR')).toBeNull();
    expect(toMinorUnits('99999999999', 'EUR')).toBeNull();
  });

  it('writes minor units back as a decimal', () => {
    expect(formatMinor(1250, 'EUR')).toBe('12.50');
    expect(formatMinor(5, 'EUR')).toBe('0.05');
    expect(formatMinor(-300, 'EUR')).toBe('-3.00');
    expect(formatMinor(500, 'JPY')).toBe('500');
    expect(formatMinor(1005, 'KWD')).toBe('1.005');
  });
});

describe('the goodwill budget', () => {
  it('counts an offer in the calendar month of the brand’s time zone', () => {
    const lateOnTheLastDay = new Date('2026-11-30T23:30:00Z');
    expect(budgetMonth(lateOnTheLastDay, 'UTC')).toBe('2026-11');
    expect(budgetMonth(lateOnTheLastDay, 'Europe/Amsterdam')).toBe('2026-12');
    expect(budgetMonth(new Date('2026-01-01T03:00:00Z'), 'America/New_York')).toBe('2025-12');
  });

  it('lets an offer take the budget exactly to zero, and not a cent past it', () => {
    expect(fitsBudget(10000, 5000, 15000)).toBe(true);
    expect(fitsBudget(10000, 5001, 15000)).toBe(false);
    expect(fitsBudget(0, 15001, 15000)).toBe(false);
  });

  it('shows what is left, below zero after a manager approved past the budget', () => {
    expect(budgetLeft(15000, 12500)).toBe(2500);
    expect(budgetLeft(15000, 17500)).toBe(-2500);
  });
});
