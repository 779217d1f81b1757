import { MENTIONS, searchFeed } from './x-feed-cursor.js';
import type { XRule } from './x.types.js';

// The filtered stream's rules belong to the app, not to a source: Paradox tags its own
// paradox:<sourceId>:<feed> and never touches a rule tagged otherwise (another source, another
// program on the same app).
export interface WantedRule {
  value: string;
  tag: string;
}

export interface RulePlan {
  add: WantedRule[];
  remove: XRule[];
}

const ownPrefix = (sourceId: string) => `paradox:${sourceId}:`;

export function ruleTag(sourceId: string, feed: string): string {
  return `${ownPrefix(sourceId)}${feed}`;
}

export function isOwnRule(rule: { tag?: string }, sourceId: string): boolean {
  return rule.tag?.startsWith(ownPrefix(sourceId)) ?? false;
}

// The rules of a source: the posts that mention the brand account and each keyword, the same
// feeds a poll reads. X keeps one rule per value, so a keyword that repeats another is left out.
export function wantedRules(sourceId: string, username: string, keywords: string[]): WantedRule[] {
  const rules = [{ value: `@${username} -is:retweet`, tag: ruleTag(sourceId, MENTIONS) }, ...keywords.map((q) => ({ value: q, tag: ruleTag(sourceId, searchFeed(q)) }))];
  return rules.filter((rule, i) => rules.findIndex((r) => r.value === rule.value) === i);
}

// Own rules that are no longer wanted go; a wanted value that no remaining rule holds comes. A
// value another program's rule holds already is not added again (X would refuse the duplicate):
// that rule's matches serve this source too (servingRuleIds).
export function planRules(existing: XRule[], wanted: WantedRule[], sourceId: string): RulePlan {
  const remove = existing.filter((r) => isOwnRule(r, sourceId) && !wanted.some((w) => w.value === r.value && w.tag === r.tag));
  const kept = existing.filter((r) => !remove.includes(r));
  const add = wanted.filter((w) => !kept.some((r) => r.value === w.value));
  return { add, remove };
}

// The rules whose matches are posts of this source: every rule of the app with a wanted value.
export function servingRuleIds(rules: XRule[], wanted: WantedRule[]): Set<string> {
  const values = new Set(wanted.map((w) => w.value));
  return new Set(rules.filter((r) => values.has(r.value)).map((r) => r.id));
}
