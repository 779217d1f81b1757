import { describe, expect, it } from '@jest/globals';
import { plainToInstance } from 'class-transformer';
import type { PostAnalysisResult } from '../analysis/analysis.service.js';
import { BrandConfig } from '../config/config.schema.js';
import { NEXT_DUE_SQL, ackDueAt, answerOutcome, caseReference, followUpDueAt, nextDue } from './case-rules.js';

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
  it('sets the acknowledgement deadline the brand SLA after the post', () => {
    expect(ackDueAt(new Date('2026-01-01T10:00:00Z'), brand).toISOString()).toBe('2026-01-01T10:45:00.000Z');
  });

  it('defaults to a 60-minute acknowledgement and a three-day follow-up', () => {
    const plain = plainToInstance(BrandConfig, { id: 'b', name: 'B' });
    expect(ackDueAt(new Date('2026-01-01T10:00:00Z'), plain).toISOString()).toBe('2026-01-01T11:00:00.000Z');
    expect(followUpDueAt(new Date('2026-01-01T10:00:00Z'), plain).toISOString()).toBe('2026-01-04T10:00:00.000Z');
  });

  it('marks a positive answer recovered, a negative one or a new complaint reopened', () => {
    expect(answerOutcome(analysis('positive', false))).toBe('recovered');
    expect(answerOutcome(analysis('negative', false))).toBe('reopen');
    expect(answerOutcome(analysis('neutral', true))).toBe('reopen');
    expect(answerOutcome(analysis('neutral', false))).toBe('unclear');
  });

  it('counts the time left down to the acknowledgement until the case is acknowledged', () => {
    const ackDue = new Date('2026-01-01T11:00:00Z');
    expect(nextDue({ acknowledgedAt: null, ackDueAt: ackDue })).toEqual({ at: ackDue, milestone: 'acknowledgement' });
    expect(nextDue({ acknowledgedAt: new Date('2026-01-01T10:30:00Z'), ackDueAt: ackDue })).toBeNull();
    expect(NEXT_DUE_SQL('c')).toBe('CASE WHEN c.acknowledged_at IS NULL THEN c.ack_due_at END');
  });

  it('names a case by its number', () => {
    expect(caseReference(42)).toBe('C-42');
  });
});
