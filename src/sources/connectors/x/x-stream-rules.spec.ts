import { describe, expect, it } from '@jest/globals';
import { isOwnRule, planRules, ruleTag, servingRuleIds, wantedRules } from './x-stream-rules.js';

const KEYWORD = '"Acme Shop" -is:retweet';

describe('the filtered-stream rules of an X source', () => {
  it('wants the mentions of the brand account and each keyword, tagged with the source', () => {
    expect(wantedRules('acme-x', 'acme', [KEYWORD])).toEqual([
      { value: '@acme -is:retweet', tag: 'paradox:acme-x:mentions' },
      { value: KEYWORD, tag: `paradox:acme-x:search:${KEYWORD}` },
    ]);
  });

  it('wants a value once, as X keeps one rule per value', () => {
    expect(wantedRules('acme-x', 'acme', ['@acme -is:retweet', 'refund'])).toEqual([
      { value: '@acme -is:retweet', tag: 'paradox:acme-x:mentions' },
      { value: 'refund', tag: 'paradox:acme-x:search:refund' },
    ]);
  });

  it('knows its own rules by the tag, and not those of a source whose id starts the same', () => {
    expect(isOwnRule({ tag: ruleTag('acme-x', 'mentions') }, 'acme-x')).toBe(true);
    expect(isOwnRule({ tag: 'paradox:acme-x2:mentions' }, 'acme-x')).toBe(false);
    expect(isOwnRule({ tag: 'puppies with media' }, 'acme-x')).toBe(false);
    expect(isOwnRule({}, 'acme-x')).toBe(false);
  });

  it('removes only its own stale rules and adds what is missing', () => {
    const wanted = wantedRules('acme-x', 'acme', [KEYWORD]);
    const existing = [
      { id: '1', value: '@acme -is:retweet', tag: 'paradox:acme-x:mentions' },
      { id: '2', value: 'old name', tag: 'paradox:acme-x:search:old name' },
      { id: '3', value: 'meme has:images' },
      { id: '4', value: 'refund', tag: 'paradox:acme-x2:search:refund' },
    ];
    expect(planRules(existing, wanted, 'acme-x')).toEqual({ add: [wanted[1]], remove: [existing[1]] });
  });

  it('changes nothing when the rules are in place', () => {
    const wanted = wantedRules('acme-x', 'acme', [KEYWORD]);
    const existing = wanted.map((w, i) => ({ id: String(i + 1), ...w }));
    expect(planRules(existing, wanted, 'acme-x')).toEqual({ add: [], remove: [] });
  });

  it('moves its own rule to a new tag, and leaves a value another program holds to that program', () => {
    const wanted = wantedRules('acme-x', 'acme', ['refund']);
    const existing = [
      { id: '1', value: '@acme -is:retweet', tag: 'paradox:acme-x:mention' },
      { id: '2', value: 'refund', tag: 'someone else' },
    ];
    const plan = planRules(existing, wanted, 'acme-x');
    expect(plan).toEqual({ add: [wanted[0]], remove: [existing[0]] });
    // The other program's rule matches the keyword's posts: they serve this source as well.
    expect(servingRuleIds([existing[1], { id: '5', ...wanted[0] }, { id: '6', value: 'cats' }], wanted)).toEqual(new Set(['2', '5']));
  });
});
