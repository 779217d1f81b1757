import { describe, expect, it } from '@jest/globals';
import { sentimentFromValence } from './sentiment-scoring.js';

describe('sentimentFromValence', () => {
  it('calls no valence neutral', () => {
    expect(sentimentFromValence(0)).toEqual({ label: 'neutral', score: 0 });
  });

  it('keeps the score within -1 and 1 however many words add up', () => {
    expect(sentimentFromValence(500).score).toBeLessThanOrEqual(1);
    expect(sentimentFromValence(-500).score).toBeGreaterThanOrEqual(-1);
  });

  it('labels by the sign once past the neutral band', () => {
    expect(sentimentFromValence(0.7).label).toBe('positive');
    expect(sentimentFromValence(-0.7).label).toBe('negative');
    expect(sentimentFromValence(0.02).label).toBe('neutral');
  });

  it('treats a non-number as neutral', () => {
    expect(sentimentFromValence(Number.NaN)).toEqual({ label: 'neutral', score: 0 });
  });
});
