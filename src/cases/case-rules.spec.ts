import { describe, expect, it } from '@jest/globals';
import { plainToInstance } from 'class-transformer';
import type { PostAnalysisResult } from '../analysis/analysis.service.js';
import { BrandConfig } from '../config/config.schema.js';
import { REOPEN_PRIORITY, answerOutcome, caseReference, followUpDueAt, initialPriority } from './case-rules.js';

const brand = plainToInstance(BrandConfig, { id: 'acme', name: 'Acme', sla: { ackMinutes: 45 }, followUp: { delayMinutes: 60 } });

function analysis(sentiment: 'negative' | 'neutral' | 'positive', complaint: boolean, probability = complaint ? 0.8 : 0.1, severity: PostAnalysisResult['severity'] = 'low'): PostAnalysisResult {
  return {
    language: 'en',
    sentiment: { label: sentiment, score: 0 },
    complaint: { label: complaint, probability, why: [] },
    topic: 'other',
    severity,
    severityWhy: [],
    abusive: false,
    intent: complaint ? 'complaint' : 'other',
    modelVersion: 'test',
  };
}

describe('case rules', () => {
  it('schedules the follow-up the brand delay after the resolution, three days by default', () => {
    expect(followUpDueAt(new Date('2026-01-01T10:00:00Z'), brand).toISOString()).toBe('2026-01-01T11:00:00.000Z');
    const plain = plainToInstance(BrandConfig, { id: 'b', name: 'B' });
    expect(followUpDueAt(new Date('2026-01-01T10:00:00Z'), plain).toISOString()).toBe('2026-01-04T10:00:00.000Z');
  });

  it('marks a positive answer recovered, a negative one or a new complaint reopened', () => {
    expect(answerOutcome(analysis('positive', false))).toBe('recovered');
    expect(answerOutcome(analysis('negative', false))).toBe('reopen');
    expect(answerOutcome(analysis('neutral', true))).toBe('reopen');
    expect(answerOutcome(analysis('neutral', false))).toBe('unclear');
  });

  it('raises priority for confident complaints and large audiences', () => {
    expect(initialPriority(analysis('negative', true, 0.6), 10)).toBe(2);
    expect(initialPriority(analysis('negative', true, 0.9), 10)).toBe(3);
    expect(initialPriority(analysis('negative', true, 0.9), 50_000)).toBe(4);
  });

  it('raises priority with the severity, below a reopened case', () => {
    expect(initialPriority(analysis('negative', true, 0.6, 'medium'), 10)).toBe(3);
    expect(initialPriority(analysis('negative', true, 0.6, 'high'), 10)).toBe(4);
    expect(initialPriority(analysis('negative', true, 0.9, 'critical'), 50_000)).toBe(7);
    expect(initialPriority(analysis('negative', true, 0.9, 'critical'), 50_000)).toBeLessThan(REOPEN_PRIORITY);
  });

  it('names a case by its number', () => {
    expect(caseReference(42)).toBe('C-42');
  });
});
