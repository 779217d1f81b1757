import { describe, expect, it } from '@jest/globals';
import { plainToInstance } from 'class-transformer';
import type { PostAnalysisResult } from '../analysis/analysis.service.js';
import { BrandConfig } from '../config/config.schema.js';
import { NEXT_DUE_SQL, answerOutcome, caseReference, followUpDueAt, nextDue } from './case-rules.js';

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

  it('counts the time left down to the nearest milestone not met yet', () => {
    const ackDue = new Date('2026-01-01T11:00:00Z');
    const firstResponseDue = new Date('2026-01-01T14:00:00Z');
    const resolutionDue = new Date('2026-01-02T10:00:00Z');
    const c = { acknowledgedAt: null, ackDueAt: ackDue, firstRespondedAt: null, firstResponseDueAt: firstResponseDue, resolutionDueAt: resolutionDue };
    expect(nextDue(c)).toEqual({ at: ackDue, milestone: 'acknowledgement' });
    const acknowledged = { ...c, acknowledgedAt: new Date('2026-01-01T10:30:00Z') };
    expect(nextDue(acknowledged)).toEqual({ at: firstResponseDue, milestone: 'first response' });
    expect(nextDue({ ...acknowledged, firstRespondedAt: new Date('2026-01-01T12:00:00Z') })).toEqual({ at: resolutionDue, milestone: 'resolution' });
    // Cases from before the SLA milestones have only the acknowledgement.
    expect(nextDue({ ...acknowledged, firstResponseDueAt: null, resolutionDueAt: null })).toBeNull();
    expect(NEXT_DUE_SQL('c')).toBe(
      'LEAST(CASE WHEN c.acknowledged_at IS NULL THEN c.ack_due_at END, CASE WHEN c.first_responded_at IS NULL THEN c.first_response_due_at END, c.resolution_due_at)',
    );
  });

  it('names a case by its number', () => {
    expect(caseReference(42)).toBe('C-42');
  });
});
