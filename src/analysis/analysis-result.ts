import type { Severity } from './severity-cues.js';
import type { Topic } from './topic-cues.js';

export type { Severity } from './severity-cues.js';
export type { Topic } from './topic-cues.js';

export type Language = 'nl' | 'en' | 'other';
export type SentimentLabel = 'negative' | 'neutral' | 'positive';
export type Intent = 'complaint' | 'question' | 'praise' | 'other';

export interface SentimentResult {
  label: SentimentLabel;
  // -1 (very negative) .. 1 (very positive): the model's P(positive) - P(negative).
  score: number;
}

export interface ComplaintResult {
  label: boolean;
  // Calibrated: of posts given 0.8, about eight in ten are complaints.
  probability: number;
  // The few cues or features that moved the decision most, strongest first, e.g. 'cue: nog steeds'.
  why: string[];
}

export interface PostAnalysisResult {
  language: Language;
  sentiment: SentimentResult;
  complaint: ComplaintResult;
  topic: Topic;
  severity: Severity;
  // Why the severity is above low: 'money lost', 'threat to leave'.
  severityWhy: string[];
  abusive: boolean;
  intent: Intent;
  modelVersion: string;
}

export interface AnalysisInput {
  text: string;
  // The platform's or caller's language tag ('nl', 'en', 'nl-NL'); only nl and en override detection.
  lang?: string | null;
  // The brand's own handles ('@acme'), to tell whether the post addresses the brand.
  brandHandles?: string[];
  // Whose model to use: a brand's own, trained on its corrections, or the starter model.
  brand?: string | null;
}
