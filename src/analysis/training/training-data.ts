import { readPost } from '../analysis.service.js';
import type { Example } from '../model/logistic-trainer.js';
import { type AnalysisModel } from '../model/model-file.js';
import { postFeatures } from '../model/post-features.js';
import { lexicalReading, sentimentOf, withSentiment } from '../model/post-scoring.js';
import { type Dataset, type LabelledPost, splitOf, type Split } from './datasets.js';
import { DUTCH_SENTIMENT_WEIGHT, SENTIMENT_CLASSES } from './train-models.js';

export interface Labelled {
  set: string;
  post: LabelledPost;
  example: Example;
}

export function featuresOf(post: Pick<LabelledPost, 'text' | 'lang'>) {
  const evidence = readPost({ text: post.text, lang: post.lang });
  return { x: postFeatures(evidence), lexicon: lexicalReading(evidence) };
}

export function sentimentExamples(sets: Dataset[], split: Split): Labelled[] {
  const out: Labelled[] = [];
  for (const set of sets.filter((s) => s.kind === 'sentiment')) {
    for (const post of set.posts) {
      if (splitOf(set.name, post) !== split) continue;
      const weight = readPost(post).language === 'nl' ? DUTCH_SENTIMENT_WEIGHT : 1;
      out.push({ set: set.name, post, example: { x: featuresOf(post).x, y: SENTIMENT_CLASSES.indexOf(post.sentiment!), weight } });
    }
  }
  return out;
}

// Complaint examples carry the sentiment model's verdict, as the complaint model reads it at run time.
export function complaintExamples(sets: Dataset[], split: Split, sentiment: AnalysisModel['sentiment']): Labelled[] {
  const out: Labelled[] = [];
  for (const set of sets.filter((s) => s.kind === 'complaint')) {
    for (const post of set.posts) {
      if (splitOf(set.name, post) !== split) continue;
      const { x, lexicon } = featuresOf(post);
      withSentiment(x, sentimentOf(sentiment, x, lexicon));
      out.push({ set: set.name, post, example: { x, y: post.complaint ? 1 : 0 } });
    }
  }
  return out;
}
