import type { Language } from '../analysis-result.js';
import type { Topic } from '../topic-cues.js';
import type { FeatureVector } from './feature-vector.js';
import { calibrateOutOfFold } from './calibration.js';
import { balancedClassWeights, type Example, trainAveraged } from './logistic-trainer.js';
import type { AnalysisModel, ComplaintModel } from './model-file.js';

// A post a care team labelled, as the training reads it.
export interface LabelledFeatures {
  // The post's features with the starter sentiment model's verdict stacked on, as scored.
  x: FeatureVector;
  language: Language;
  complaint: boolean | null;
  topic: Topic | null;
  // The post's content words (no function words, at least four letters), for topic learning.
  words: string[];
}

// Corrections pull the model towards them, and L2 pulls it back towards the starter model: a
// handful of labels nudges it, a few hundred teach it a new domain.
const FINE_TUNING = { epochs: 10, learningRate: 0.01, l2: 1e-3, seed: 23 };
const FOLDS = 5;
const RUNS = 3;
// Enough labels of both kinds to calibrate anew; fewer keep the starter model's calibration.
const RECALIBRATE_AT = 10;
// A word becomes a brand's topic cue when this many of its topic corrections hold it, and
// (nearly) none of other topics'.
const TOPIC_WORD_POSTS = 2;
const TOPIC_WORD_PURITY = 0.8;

export function trainBrandModel(starter: AnalysisModel, labels: readonly LabelledFeatures[], version: string): AnalysisModel {
  const examples: Example[] = labels.filter((l) => l.complaint !== null).map((l) => ({ x: l.x, y: l.complaint ? 1 : 0 }));
  return { version, sentiment: starter.sentiment, complaint: examples.length ? fineTuneComplaint(starter.complaint, examples) : starter.complaint, topicWords: learnTopicWords(starter, labels) };
}

function fineTuneComplaint(starter: ComplaintModel, examples: Example[]): ComplaintModel {
  const classWeights = balancedClassWeights(examples, 2);
  const fineTune = (subset: Example[]) => trainAveraged(subset, ['complaint'], { ...FINE_TUNING, classWeights, prior: starter.weights }, RUNS);
  const weights = fineTune(examples);
  const counts = [0, 1].map((y) => examples.filter((e) => e.y === y).length);
  if (Math.min(...counts) < RECALIBRATE_AT) return { ...starter, weights };
  // Calibration and threshold anew, on scores each label got from a model that did not see it.
  return { weights, ...calibrateOutOfFold(examples, fineTune, FOLDS) };
}

// The words the care team's topic corrections have in common become the brand's own topic cues,
// on top of the rules: a handful of corrections teach "voucher" is about pricing, and nothing
// that all posts share (the brand's handle, "my") is learned.
function learnTopicWords(starter: AnalysisModel, labels: readonly LabelledFeatures[]): ReadonlyMap<string, Topic> | undefined {
  const corrected = labels.filter((l) => l.topic !== null);
  if (!corrected.length) return starter.topicWords;
  const posts = new Map<string, Map<Topic, number>>();
  for (const label of corrected) {
    for (const word of new Set(label.words)) {
      const byTopic = posts.get(word) ?? new Map<Topic, number>();
      byTopic.set(label.topic!, (byTopic.get(label.topic!) ?? 0) + 1);
      posts.set(word, byTopic);
    }
  }
  const learned = new Map(starter.topicWords);
  for (const [word, byTopic] of posts) {
    const total = [...byTopic.values()].reduce((a, b) => a + b, 0);
    for (const [topic, count] of byTopic) {
      if (count >= TOPIC_WORD_POSTS && count / total >= TOPIC_WORD_PURITY) learned.set(word, topic);
    }
  }
  return learned;
}
