import type { SentimentResult } from './analysis-result.js';

// Squashes a valence sum into -1 .. 1 (VADER's normalisation); smaller means one word saturates sooner.
const SQUASH = 0.5;
// Below this a post reads as neutral; checked on TweetEval validation and the Dutch dev sets.
const LABEL_THRESHOLD = 0.1;

export function sentimentFromValence(valence: number): SentimentResult {
  if (!Number.isFinite(valence) || valence === 0) return { label: 'neutral', score: 0 };
  const score = Math.round((valence / Math.sqrt(valence * valence + SQUASH)) * 1000) / 1000;
  const label = score >= LABEL_THRESHOLD ? 'positive' : score <= -LABEL_THRESHOLD ? 'negative' : 'neutral';
  return { label, score };
}
