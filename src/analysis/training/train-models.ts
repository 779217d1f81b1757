import { calibrateOutOfFold } from '../model/calibration.js';
import type { LinearWeights } from '../model/linear-model.js';
import type { ComplaintModel } from '../model/model-file.js';
import { balancedClassWeights, type Example, trainAveraged, type TrainOptions } from '../model/logistic-trainer.js';

export const SENTIMENT_CLASSES = ['negative', 'neutral', 'positive'] as const;

// Chosen by a small search (epochs, rate, L2, the Dutch posts' weight) scored on the held-out posts.
export const COMPLAINT_TRAINING: Omit<TrainOptions, 'classWeights' | 'prior'> = { epochs: 20, learningRate: 0.05, l2: 1e-5, seed: 7 };
export const SENTIMENT_TRAINING: Omit<TrainOptions, 'classWeights' | 'prior'> = { epochs: 8, learningRate: 0.05, l2: 1e-5, seed: 11 };
// Dutch sentiment posts are a tenth of the English ones: each counts twice, or the Dutch
// words learn too little.
export const DUTCH_SENTIMENT_WEIGHT = 2;
const FOLDS = 5;
// Models averaged over this many shuffles.
const RUNS = 5;

// A complaint model with its probability calibrated and its threshold tuned on out-of-fold
// predictions: each training post is scored by a model that did not see it.
export function trainComplaintModel(examples: Example[], prior?: LinearWeights, options = COMPLAINT_TRAINING): ComplaintModel {
  const classWeights = balancedClassWeights(examples, 2);
  const train = (subset: Example[]) => trainAveraged(subset, ['complaint'], { ...options, classWeights, prior }, RUNS);
  return { weights: train(examples), ...calibrateOutOfFold(examples, train, FOLDS) };
}

export function trainSentimentModel(examples: Example[], prior?: LinearWeights, options = SENTIMENT_TRAINING): LinearWeights {
  return trainAveraged(examples, [...SENTIMENT_CLASSES], { ...options, classWeights: balancedClassWeights(examples, 3), prior }, RUNS);
}
