import { describe, expect, it } from '@jest/globals';
import type { SentimentResult } from './analysis-result.js';
import { complaintFeatures, type ComplaintEvidence, RULES_V1, scoreComplaint } from './complaint-model.js';
import type { CueHit } from './lexical-scan.js';

const neutral: SentimentResult = { label: 'neutral', score: 0 };
const failure = (label: string, strength = 2): CueHit => ({ kind: 'failure', label, strength });

function evidence(overrides: Partial<ComplaintEvidence>): ComplaintEvidence {
  return {
    sentiment: neutral,
    cues: [],
    addressedToBrand: false,
    hasQuestionMark: false,
    firstWord: undefined,
    ...overrides,
  };
}

const decide = (overrides: Partial<ComplaintEvidence>) =>
  scoreComplaint(complaintFeatures(evidence(overrides)), RULES_V1);

describe('the rules-v1 complaint model', () => {
  it('does not call a negative post a complaint on sentiment alone', () => {
    const result = decide({ sentiment: { label: 'negative', score: -0.9 } });
    expect(result.label).toBe(false);
    expect(result.probability).toBeLessThan(RULES_V1.threshold);
  });

  it('calls a failure addressed to the brand a complaint and says why', () => {
    const result = decide({ cues: [failure('charged twice')], addressedToBrand: true });
    expect(result.label).toBe(true);
    expect(result.why).toEqual(['cue:charged twice', 'addressed to brand']);
  });

  it('lists the strongest reasons first and at most three', () => {
    const result = decide({
      sentiment: { label: 'negative', score: -0.6 },
      cues: [failure('still', 1.2), failure('never arrived'), failure('refund', 1.2)],
      addressedToBrand: true,
    });
    expect(result.why).toEqual(['cue:never arrived', 'cue:still', 'cue:refund']);
  });

  it('does not call a question a complaint when nothing failed', () => {
    const result = decide({ hasQuestionMark: true, firstWord: 'can', addressedToBrand: true });
    expect(result.label).toBe(false);
    expect(result.why).toContain('question without failure cue');
  });

  it('counts a question opener as a question even without a question mark', () => {
    const features = complaintFeatures(evidence({ firstWord: 'wanneer' }));
    expect(features.map((feature) => feature.name)).toContain('question-without-failure');
  });

  it('lets thanks outweigh a mild failure word', () => {
    const result = decide({
      sentiment: { label: 'positive', score: 0.8 },
      cues: [failure('again', 1.2), { kind: 'praise', label: 'thank you', strength: 1.2 }],
    });
    expect(result.label).toBe(false);
  });

  it('keeps the probability between 0 and 1 for extreme evidence', () => {
    const many = Array.from({ length: 500 }, () => failure('worst'));
    expect(decide({ cues: many }).probability).toBeLessThanOrEqual(1);
  });

  it('ignores features the model has no weight for', () => {
    const result = scoreComplaint([{ name: 'ngram:unknown', value: 100, reasons: ['x'] }], RULES_V1);
    expect(result.why).not.toContain('x');
  });
});
