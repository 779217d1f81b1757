import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type AnalysisModel, serialiseModel } from '../model/model-file.js';
import { loadDatasets } from './datasets.js';
import { complaintExamples, sentimentExamples } from './training-data.js';
import { COMPLAINT_TRAINING, SENTIMENT_TRAINING, trainComplaintModel, trainSentimentModel } from './train-models.js';

export interface TrainingReport {
  model: AnalysisModel;
  about: Record<string, unknown>;
}

// The starter model from the training part of every labelled dataset: first sentiment (all
// sentiment sets, English and Dutch), then complaints (complaints-en), which reads sentiment.
export function trainStarterModel(datasetsDir: string, version: string): TrainingReport {
  const sets = loadDatasets(datasetsDir);
  const sentimentTrain = sentimentExamples(sets, 'train');
  const sentiment = trainSentimentModel(sentimentTrain.map((l) => l.example));
  const complaintTrain = complaintExamples(sets, 'train', sentiment);
  const complaint = trainComplaintModel(complaintTrain.map((l) => l.example));
  const counts = (labelled: { set: string }[]) => Object.fromEntries(sets.map((s) => [s.name, labelled.filter((l) => l.set === s.name).length]).filter(([, n]) => n));
  const about = {
    trainedBy: 'npm run train',
    trainedOn: { sentiment: counts(sentimentTrain), complaint: counts(complaintTrain) },
    split: 'fixed by id (src/analysis/training/datasets.ts); held-out posts are never trained on',
    options: { sentiment: SENTIMENT_TRAINING, complaint: COMPLAINT_TRAINING },
    complaintThreshold: complaint.threshold,
  };
  return { model: { version, sentiment, complaint }, about };
}

export function writeModel(path: string, report: TrainingReport): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, serialiseModel(report.model, report.about));
}
