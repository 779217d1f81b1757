import { Injectable } from '@nestjs/common';
import type { AnalysisInput, PostAnalysisResult } from './analysis-result.js';
import { complaintFeatures, RULES_V1, scoreComplaint } from './complaint-model.js';
import { detectLanguage } from './language-detection.js';
import { scanTokens } from './lexical-scan.js';
import { tokenizePost } from './post-tokenizer.js';
import { sentimentFromValence } from './sentiment-scoring.js';

export type {
  AnalysisInput,
  ComplaintResult,
  Language,
  PostAnalysisResult,
  SentimentLabel,
  SentimentResult,
} from './analysis-result.js';

@Injectable()
export class AnalysisService {
  // Never throws: whatever arrives, the caller gets a result it can store.
  analyse(input: AnalysisInput): PostAnalysisResult {
    try {
      return analysePost(input);
    } catch {
      return unreadable();
    }
  }

  analyseMany(inputs: AnalysisInput[]): PostAnalysisResult[] {
    return Array.isArray(inputs) ? inputs.map((input) => this.analyse(input)) : [];
  }
}

function analysePost(input: AnalysisInput | null | undefined): PostAnalysisResult {
  const text = typeof input?.text === 'string' ? input.text : '';
  const post = tokenizePost(text);
  const language = detectLanguage(post.plainText, input?.lang);
  const scan = scanTokens(post.tokens, language);
  const sentiment = sentimentFromValence(scan.valence);
  const features = complaintFeatures({
    sentiment,
    cues: scan.cues,
    addressedToBrand: addressesBrand(post.mentions, input?.brandHandles),
    hasQuestionMark: post.hasQuestionMark,
    firstWord: post.tokens[0],
  });
  return { language, sentiment, complaint: scoreComplaint(features, RULES_V1), modelVersion: RULES_V1.version };
}

const LEADING_AT = /^@/;

// Only reached on a bug: analysis must never hold up the intake of a post.
function unreadable(): PostAnalysisResult {
  return {
    language: 'other',
    sentiment: { label: 'neutral', score: 0 },
    complaint: { label: false, probability: 0, why: ['unreadable post'] },
    modelVersion: RULES_V1.version,
  };
}

// '@acme' matches '@acme' and the Mastodon form '@acme@mastodon.social'; case never matters.
function addressesBrand(mentions: readonly string[], brandHandles: readonly string[] | undefined): boolean {
  if (mentions.length === 0 || !Array.isArray(brandHandles) || brandHandles.length === 0) return false;
  const brands = new Set<string>();
  for (const handle of brandHandles) {
    if (typeof handle === 'string') brands.add(handle.trim().toLowerCase().replace(LEADING_AT, ''));
  }
  return mentions.some((mention) => brands.has(mention) || brands.has(mention.split('@', 1)[0]));
}
