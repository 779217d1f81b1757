import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SentimentLabel } from '../analysis-result.js';
import { featureSlot } from '../model/feature-vector.js';

export interface LabelledPost {
  id: string;
  text: string;
  lang: string | null;
  complaint?: boolean;
  sentiment?: SentimentLabel;
  domain?: string;
  // Posts of one group (a review's sentences) always land on the same side of the split.
  group: string;
}

export interface Dataset {
  name: string;
  posts: LabelledPost[];
  kind: 'complaint' | 'sentiment';
}

export type Split = 'train' | 'held-out';

// The fixed split, by id: a post is held out when its group's hash falls in the set's held-out
// share. Training never sees a held-out post; `npm run eval` scores only held-out posts.
// tweeteval's validation file is all training; half of its test file is held out.
const HELD_OUT_SHARE: Record<string, number> = {
  'complaints-en.dev': 0.3,
  'tweeteval-sentiment-en.val': 0,
  'tweeteval-sentiment-en.test': 0.5,
  'restaurant-reviews-nl.dev': 0.3,
  'political-tweets-nl.dev': 0.3,
};
const DEFAULT_HELD_OUT_SHARE = 0.3;

export function splitOf(dataset: string, post: Pick<LabelledPost, 'group'>): Split {
  const share = HELD_OUT_SHARE[dataset] ?? DEFAULT_HELD_OUT_SHARE;
  // featureSlot is FNV-1a: stable across machines and runs.
  return featureSlot(`split:${post.group}`) % 1000 < share * 1000 ? 'held-out' : 'train';
}

const SENTIMENTS = new Set(['negative', 'neutral', 'positive']);

// Every labelled file in the folder: a post with `complaint` or `sentiment` counts; others are skipped.
export function loadDatasets(dir: string): Dataset[] {
  if (!existsSync(dir)) throw new Error(`no datasets at ${dir}`);
  const sets: Dataset[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    const posts: LabelledPost[] = [];
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const row = JSON.parse(line) as Record<string, unknown>;
      if (typeof row.text !== 'string' || typeof row.id !== 'string') continue;
      const post: LabelledPost = {
        id: row.id,
        text: row.text,
        lang: typeof row.lang === 'string' ? row.lang : null,
        group: typeof row.review === 'string' ? row.review : row.id,
      };
      if (typeof row.complaint === 'boolean') post.complaint = row.complaint;
      if (typeof row.sentiment === 'string' && SENTIMENTS.has(row.sentiment)) post.sentiment = row.sentiment as SentimentLabel;
      if (typeof row.domain === 'string') post.domain = row.domain;
      if (post.complaint !== undefined || post.sentiment !== undefined) posts.push(post);
    }
    if (posts.length) sets.push({ name: file.replace(/\.jsonl$/, ''), posts, kind: posts[0].complaint !== undefined ? 'complaint' : 'sentiment' });
  }
  return sets;
}
