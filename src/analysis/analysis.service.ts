import { Injectable } from '@nestjs/common';
import { isAbusive } from './abuse-words.js';
import { AnalysisModels } from './analysis-models.js';
import type { AnalysisInput, Intent, PostAnalysisResult, Topic } from './analysis-result.js';
import { QUESTION_OPENERS } from './complaint-cues.js';
import { detectLanguage } from './language-detection.js';
import { scanTokens } from './lexical-scan.js';
import type { LabelledFeatures } from './model/brand-training.js';
import { FeatureVector } from './model/feature-vector.js';
import type { AnalysisModel } from './model/model-file.js';
import { type PostEvidence, postFeatures } from './model/post-features.js';
import { lexicalReading, scorePost, sentimentOf, withSentiment } from './model/post-scoring.js';
import { BOUNDARY, tokenizePost } from './post-tokenizer.js';
import { severityOf } from './severity-cues.js';
import { contentWords, topicOf } from './topic-cues.js';

export type {
  AnalysisInput,
  ComplaintResult,
  Intent,
  Language,
  PostAnalysisResult,
  SentimentLabel,
  SentimentResult,
  Severity,
  Topic,
} from './analysis-result.js';

// Language, sentiment, complaint, topic, severity, abuse and intent of a post. The app, `npm run
// eval` and `paradox classify` all come through here, with the same models.
@Injectable()
export class AnalysisService {
  // analyse() is synchronous and keeps nothing of it: one vector serves every post.
  private readonly scratch = new FeatureVector(true);

  constructor(private readonly models: AnalysisModels) {}

  // Never throws: whatever arrives, the caller gets a result it can store.
  analyse(input: AnalysisInput): PostAnalysisResult {
    const model = this.models.for(input?.brand);
    try {
      return analysePost(input, model, this.scratch);
    } catch {
      return unanalysed(model, 'unreadable post');
    }
  }

  analyseMany(inputs: AnalysisInput[]): PostAnalysisResult[] {
    return Array.isArray(inputs) ? inputs.map((input) => this.analyse(input)) : [];
  }
}

// Everything the rules and the models read off a post, done once.
export function readPost(input: AnalysisInput | null | undefined): PostEvidence {
  const text = typeof input?.text === 'string' ? input.text : '';
  const tokens = tokenizePost(text);
  const language = detectLanguage(tokens.plainText, input?.lang, tokens.tokens);
  const scan = scanTokens(tokens.tokens, language);
  const first = tokens.tokens[0];
  return {
    tokens,
    scan,
    language,
    addressedToBrand: addressesBrand(tokens.mentions, input?.brandHandles),
    opensAsQuestion: first !== undefined && QUESTION_OPENERS.has(first),
  };
}

function analysePost(input: AnalysisInput, model: AnalysisModel, scratch: FeatureVector): PostAnalysisResult {
  const evidence = readPost(input);
  // Other languages are stored and shown, not analysed: no model here has learned them.
  // A post of only emoji has no language, but its emoji still say how it feels.
  if (evidence.language === 'other' && evidence.tokens.wordCount > 0) return unanalysed(model, 'language not analysed');
  if (evidence.tokens.tokens.length === 0) return unanalysed(model, 'no words');
  const x = postFeatures(evidence, true, scratch);
  // Without a word, nothing says what went wrong: an angry emoji is a mood, not a complaint.
  const { sentiment, complaint } = scorePost(model, x, lexicalReading(evidence), evidence.tokens.wordCount > 0);
  const words = evidence.tokens.tokens.filter((t) => t !== BOUNDARY);
  const { severity, reasons } = severityOf(words, complaint.label);

  return {
    language: evidence.language,
    sentiment: { label: sentiment.label, score: sentiment.score },
    complaint,
    topic: topicOf(words, model.topicWords),
    severity,
    severityWhy: reasons,
    abusive: isAbusive(words),
    intent: intentOf(complaint.label, sentiment.label, evidence),
    modelVersion: model.version,
  };
}

// A labelled post as the brand's retraining reads it: the same features the scoring reads.
export function trainingFeatures(input: AnalysisInput, starter: AnalysisModel, label: { complaint: boolean | null; topic: Topic | null }): LabelledFeatures {
  const evidence = readPost(input);
  const x = postFeatures(evidence);
  withSentiment(x, sentimentOf(starter.sentiment, x, lexicalReading(evidence)));
  return { x, language: evidence.language, complaint: label.complaint, topic: label.topic, words: contentWords(evidence.tokens.tokens) };
}

function intentOf(complaint: boolean, sentiment: string, evidence: PostEvidence): Intent {
  if (complaint) return 'complaint';
  if (evidence.tokens.hasQuestionMark) return 'question';
  // "Wat een service!" opens like a question and is praise; praise has words that praise.
  if (sentiment === 'positive' && evidence.scan.positive > 0) return 'praise';
  return evidence.opensAsQuestion ? 'question' : 'other';
}

function unanalysed(model: AnalysisModel, reason: string): PostAnalysisResult {
  return {
    language: 'other',
    sentiment: { label: 'neutral', score: 0 },
    complaint: { label: false, probability: 0, why: [reason] },
    topic: 'other',
    severity: 'low',
    severityWhy: [],
    abusive: false,
    intent: 'other',
    modelVersion: model.version,
  };
}

// '@acme' matches '@acme' and the Mastodon form '@acme@mastodon.social'; case never matters.
// Without the brand's handles (the datasets, `paradox classify`) any mention counts.
function addressesBrand(mentions: readonly string[], brandHandles: readonly string[] | undefined): boolean {
  if (mentions.length === 0) return false;
  if (!Array.isArray(brandHandles) || brandHandles.length === 0) return true;
  for (const handle of brandHandles) {
    if (typeof handle !== 'string') continue;
    const trimmed = handle.trim().toLowerCase();
    const brand = trimmed.startsWith('@') ? trimmed.slice(1) : trimmed;
    for (const mention of mentions) {
      if (mention === brand) return true;
      const instance = mention.indexOf('@');
      if (instance > 0 && mention.slice(0, instance) === brand) return true;
    }
  }
  return false;
}
