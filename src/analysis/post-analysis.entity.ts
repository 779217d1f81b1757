import { Column } from 'typeorm';
import type { PostAnalysisResult } from './analysis-result.js';

// The analysis of a post, stored on the post's own row (columns analysis_language, ...): it is
// written with the post, in the same statement, and read with it.
export class PostAnalysis {
  @Column('text')
  language: string;

  @Column('real')
  sentimentScore: number;

  @Column('text')
  sentimentLabel: string;

  @Column('real')
  complaintProbability: number;

  @Column('boolean')
  isComplaint: boolean;

  // The cues that decided it, shown to the agent.
  @Column('jsonb')
  why: string[];

  @Column('text', { default: 'other' })
  topic: string;

  @Column('text', { default: 'low' })
  severity: string;

  // What raised the severity: 'money lost', 'threat to leave'.
  @Column('jsonb', { default: [] })
  severityWhy: string[];

  @Column('boolean', { default: false })
  abusive: boolean;

  @Column('text', { default: 'other' })
  intent: string;

  @Column('text')
  modelVersion: string;

  @Column('timestamptz')
  analysedAt: Date;
}

// The columns for what AnalysisService.analyse found, analysed at `at`.
export function postAnalysis(result: PostAnalysisResult, at: Date): PostAnalysis {
  return Object.assign(new PostAnalysis(), {
    language: result.language,
    sentimentScore: result.sentiment.score,
    sentimentLabel: result.sentiment.label,
    complaintProbability: result.complaint.probability,
    isComplaint: result.complaint.label,
    why: result.complaint.why,
    topic: result.topic,
    severity: result.severity,
    severityWhy: result.severityWhy,
    abusive: result.abusive,
    intent: result.intent,
    modelVersion: result.modelVersion,
    analysedAt: at,
  });
}
