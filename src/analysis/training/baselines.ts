import { createRequire } from 'node:module';

// The published baselines, measured in the same run: natural's SentimentAnalyzer (AFINN for
// English, pattern for Dutch) and VADER. Loaded by deep path: natural's root loads far more.
const require = createRequire(import.meta.url);

interface Analyzer {
  getSentiment(words: string[]): number;
}
type AnalyzerClass = new (language: string, stemmer: null, vocabulary: string) => Analyzer;

export interface Baseline {
  name: string;
  // Positive is positive sentiment; the complaint (or negative) decision is score < -cut.
  score(text: string, lang: string | null): number;
  neutralBand: number;
}

const WORDS = /[\p{L}\p{N}']+/gu;

export function baselines(): Baseline[] {
  const SentimentAnalyzer = require('natural/lib/natural/sentiment/SentimentAnalyzer') as AnalyzerClass;
  const english = new SentimentAnalyzer('English', null, 'afinn');
  const dutch = new SentimentAnalyzer('Dutch', null, 'pattern');
  const vader = (require('vader-sentiment') as { SentimentIntensityAnalyzer: { polarity_scores(text: string): { compound: number } } }).SentimentIntensityAnalyzer;
  return [
    {
      name: 'natural',
      neutralBand: 0,
      score: (text, lang) => (lang === 'nl' ? dutch : english).getSentiment(text.toLowerCase().match(WORDS) ?? []),
    },
    // VADER's own cut for neutral: |compound| < 0.05.
    { name: 'VADER', neutralBand: 0.05, score: (text) => vader.polarity_scores(text).compound },
  ];
}
