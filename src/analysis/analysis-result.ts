export type Language = 'nl' | 'en' | 'other';
export type SentimentLabel = 'negative' | 'neutral' | 'positive';

export interface SentimentResult {
  label: SentimentLabel;
  // -1 (very negative) .. 1 (very positive)
  score: number;
}

export interface ComplaintResult {
  label: boolean;
  probability: number;
  // The few cues that moved the decision most, strongest first, e.g. 'cue:nog steeds'.
  why: string[];
}

// Later models add fields here (topic, severity, abuse, intent) without changing what exists.
export interface PostAnalysisResult {
  language: Language;
  sentiment: SentimentResult;
  complaint: ComplaintResult;
  modelVersion: string;
}

export interface AnalysisInput {
  text: string;
  // The platform's or caller's language tag ('nl', 'en', 'nl-NL'); only nl and en override detection.
  lang?: string | null;
  // The brand's own handles ('@acme'), to tell whether the post addresses the brand.
  brandHandles?: string[];
}
