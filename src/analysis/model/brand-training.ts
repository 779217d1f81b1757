import type { Language } from '../analysis-result.js';
import { TOPICS, type Topic } from '../topic-cues.js';
import type { FeatureVector } from './feature-vector.js';
import { featureSlot } from './feature-vector.js';
import { bestThreshold, calibrated, fitPlatt } from './calibration.js';
import { emptyWeights, type LinearWeights, score, weightIndex } from './linear-model.js';
import { balancedClassWeights, type Example, trainAveraged } from './logistic-trainer.js';
import type { AnalysisModel, ComplaintModel } from './model-file.js';

// A post a care team labelled, as the training reads it.
export interface LabelledFeatures {
  // The post's features with the starter sentiment model's verdict stacked on, as scored.
  x: FeatureVector;
  language: Language;
  complaint: boolean | null;
  topic: Topic | null;
  ruleTopic: Topic;
}

// Corrections pull the model towards them, and L2 pulls it back towards the starter model: a
// handful of labels nudges it, a few hundred teach it a new domain.
const FINE_TUNING = { epochs: 10, learningRate: 0.01, l2: 1e-3, seed: 23 };
const FOLDS = 5;
const RUNS = 3;
// Enough labels of both kinds to calibrate anew; fewer keep the starter model's calibration.
const RECALIBRATE_AT = 10;
// Fewer topic labels than this teach nothing: the rules decide.
export const TOPIC_LABELS_NEEDED = 5;
// The rules' topic as a feature, and the weight it starts with, so the untrained topic model
// gives what the rules give.
const RULE_TOPIC_WEIGHT = 3;

export const ruleTopicFeature = (topic: Topic) => `rule-topic:${topic}`;

export function trainBrandModel(starter: AnalysisModel, labels: readonly LabelledFeatures[], version: string): AnalysisModel {
  const examples: Example[] = labels.filter((l) => l.complaint !== null).map((l) => ({ x: l.x, y: l.complaint ? 1 : 0 }));
  return { version, sentiment: starter.sentiment, complaint: examples.length ? fineTuneComplaint(starter.complaint, examples) : starter.complaint, topic: trainTopic(starter, labels) };
}

function fineTuneComplaint(starter: ComplaintModel, examples: Example[]): ComplaintModel {
  const classWeights = balancedClassWeights(examples, 2);
  const fineTune = (subset: Example[]) => trainAveraged(subset, ['complaint'], { ...FINE_TUNING, classWeights, prior: starter.weights }, RUNS);
  const weights = fineTune(examples);
  const counts = [0, 1].map((y) => examples.filter((e) => e.y === y).length);
  if (Math.min(...counts) < RECALIBRATE_AT) return { ...starter, weights };
  // Calibration and threshold anew, on scores each label got from a model that did not see it.
  const scores = new Array<number>(examples.length);
  for (let fold = 0; fold < FOLDS; fold++) {
    const model = fineTune(examples.filter((_, i) => i % FOLDS !== fold));
    examples.forEach((e, i) => {
      if (i % FOLDS === fold) scores[i] = score(model, e.x, 0);
    });
  }
  const labels = examples.map((e) => e.y);
  const platt = fitPlatt(scores, labels);
  return { weights, platt, threshold: bestThreshold(scores.map((z) => calibrated(platt, z)), labels) };
}

function trainTopic(starter: AnalysisModel, labels: readonly LabelledFeatures[]): LinearWeights | undefined {
  const topicLabels = labels.filter((l) => l.topic !== null);
  if (topicLabels.length < TOPIC_LABELS_NEEDED) return starter.topic;
  const examples = topicLabels.map((l) => ({ x: withRuleTopic(l.x, l.ruleTopic), y: TOPICS.indexOf(l.topic!) }));
  return trainAveraged(examples, [...TOPICS], { ...FINE_TUNING, prior: starter.topic ?? ruleTopicPrior() }, RUNS);
}

export function withRuleTopic(x: FeatureVector, ruleTopic: Topic): FeatureVector {
  x.add(ruleTopicFeature(ruleTopic));
  return x;
}

// A topic model that repeats the rules: each rule topic votes for its own class.
export function ruleTopicPrior(): LinearWeights {
  const w = emptyWeights([...TOPICS]);
  TOPICS.forEach((topic, row) => {
    w.weights[weightIndex(w, featureSlot(ruleTopicFeature(topic)), row)] = RULE_TOPIC_WEIGHT;
  });
  return w;
}
