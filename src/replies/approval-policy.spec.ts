import { describe, expect, it } from '@jest/globals';
import { ApprovalConfig } from '../config/config.schema.js';
import { highestSeverity, needsApproval, wordsIn } from './approval-policy.js';

const policy = (p: Partial<ApprovalConfig>): ApprovalConfig => Object.assign(new ApprovalConfig(), p);
const reply = (text = 'Hi Anna, sorry, we are on it.', visibility = 'public') => ({ text, visibility });
const fresh = { severity: 'low' as const, repliesOut: { public: 0, private: 0 } };
const answered = { severity: 'low' as const, repliesOut: { public: 1, private: 0 } };

describe('which replies need approval', () => {
  it('lets every reply out without approval under the default policy', () => {
    expect(needsApproval(reply(), fresh, new ApprovalConfig())).toEqual({ required: false, reasons: [] });
  });

  it('holds every public reply under mode all', () => {
    expect(needsApproval(reply(), answered, policy({ mode: 'all' }))).toEqual({ required: true, reasons: ['every public reply'] });
  });

  it('holds only the first reply of a case under mode first', () => {
    expect(needsApproval(reply(), fresh, policy({ mode: 'first' }))).toEqual({ required: true, reasons: ['the first reply of the case'] });
    expect(needsApproval(reply(), answered, policy({ mode: 'first' })).required).toBe(false);
  });

  it('counts direct replies that went out only where the policy includes private replies', () => {
    const afterDirect = { severity: 'low' as const, repliesOut: { public: 0, private: 1 } };
    // The first public reply still needs approval when only a direct one went out before it.
    expect(needsApproval(reply(), afterDirect, policy({ mode: 'first' })).required).toBe(true);
    expect(needsApproval(reply('Hi', 'direct'), afterDirect, policy({ mode: 'first', private: true })).required).toBe(false);
    expect(needsApproval(reply('Hi', 'direct'), fresh, policy({ mode: 'first', private: true })).required).toBe(true);
  });

  it('holds replies on cases at or above the severity, and not below it', () => {
    const p = policy({ minSeverity: 'high' });
    expect(needsApproval(reply(), { ...answered, severity: 'medium' }, p).required).toBe(false);
    expect(needsApproval(reply(), { ...answered, severity: 'high' }, p)).toEqual({ required: true, reasons: ['severity high (at least high)'] });
    expect(needsApproval(reply(), { ...answered, severity: 'critical' }, p).required).toBe(true);
  });

  it('holds replies holding a listed word or phrase, in any case, as whole words', () => {
    const p = policy({ words: ['refund', 'legal action'] });
    expect(needsApproval(reply('We will REFUND you today'), answered, p)).toEqual({ required: true, reasons: ['words: refund'] });
    expect(needsApproval(reply('No legal\n action needed'), answered, p).reasons).toEqual(['words: legal action']);
    expect(needsApproval(reply('Your refunds are on their way'), answered, p).required).toBe(false);
  });

  it('gives every reason that holds when the rules combine', () => {
    const p = policy({ mode: 'first', minSeverity: 'medium', words: ['compensation'] });
    expect(needsApproval(reply('We offer compensation.'), { severity: 'high', repliesOut: { public: 0, private: 0 } }, p).reasons).toEqual([
      'the first reply of the case',
      'severity high (at least medium)',
      'words: compensation',
    ]);
  });

  it('exempts a direct reply unless private replies are included', () => {
    expect(needsApproval(reply('A refund', 'direct'), fresh, policy({ mode: 'all', words: ['refund'] })).required).toBe(false);
    expect(needsApproval(reply('A refund', 'direct'), fresh, policy({ mode: 'all', private: true })).reasons).toEqual(['every reply, private ones too']);
    // Followers-only is still seen by others: not private.
    expect(needsApproval(reply('Hi', 'private'), fresh, policy({ mode: 'all' })).required).toBe(true);
  });

  it('matches words with accents and leaves characters that mean something in a pattern alone', () => {
    expect(wordsIn('Wij betalen het terug, géén probleem', ['géén'])).toEqual(['géén']);
    expect(wordsIn('Costs $5 (plus tax)', ['$5', '(plus'])).toEqual(['$5', '(plus']);
    expect(wordsIn('geengeld', ['geen'])).toEqual([]);
  });

  it("takes the highest of a case's severities", () => {
    expect(highestSeverity(['low', 'high', 'medium'])).toBe('high');
    expect(highestSeverity([])).toBe('low');
  });
});
