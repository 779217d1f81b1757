import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../common/package-root.js';
import type { Platt } from './calibration.js';
import { DIMENSIONS, FEATURE_BITS } from './feature-vector.js';
import type { Topic } from '../topic-cues.js';
import { emptyWeights, type LinearWeights } from './linear-model.js';

// The starter model `npm run train` writes.
export const STARTER_MODEL_FILE = join(packageRoot(import.meta.url), 'config', 'models', 'starter-model.json');

export interface ComplaintModel {
  weights: LinearWeights;
  platt: Platt;
  threshold: number;
}

// Everything the trained part of the analysis needs: two linear models over hashed features.
export interface AnalysisModel {
  version: string;
  sentiment: LinearWeights;
  complaint: ComplaintModel;
  // Words a brand's topic corrections taught, each with its topic, on top of the topic rules.
  topicWords?: ReadonlyMap<string, Topic>;
}

const FORMAT = 'paradox-linear/1';
// Smaller weights change no decision; dropping them keeps the file a few MB.
const PRUNE_BELOW = 5e-4;

interface StoredLinear {
  classes: string[];
  bias: number[];
  // [slot, weight per class...] for every slot with a weight.
  weights: number[][];
}

interface StoredModel {
  format: string;
  version: string;
  featureBits: number;
  about: Record<string, unknown>;
  sentiment: StoredLinear;
  complaint: StoredLinear & { platt: Platt; threshold: number };
}

export class ModelFileError extends Error {}

// Only numbers over hashed feature slots: no word or post of the training data is in the file.
export function serialiseModel(model: AnalysisModel, about: Record<string, unknown>): string {
  const stored: StoredModel = {
    format: FORMAT,
    version: model.version,
    featureBits: FEATURE_BITS,
    about,
    sentiment: storeLinear(model.sentiment),
    complaint: { ...storeLinear(model.complaint.weights), platt: model.complaint.platt, threshold: model.complaint.threshold },
  };
  // One slot per line: diffs between two trainings stay readable.
  return JSON.stringify(stored).replaceAll('],[', '],\n[') + '\n';
}

export function parseModel(text: string, source = 'model'): AnalysisModel {
  let stored: StoredModel;
  try {
    stored = JSON.parse(text) as StoredModel;
  } catch (error) {
    throw new ModelFileError(`${source} is not JSON: ${(error as Error).message}`);
  }
  if (stored?.format !== FORMAT) throw new ModelFileError(`${source} is not a ${FORMAT} model (format ${String(stored?.format)})`);
  if (stored.featureBits !== FEATURE_BITS) throw new ModelFileError(`${source} hashes into 2^${stored.featureBits} slots, this build into 2^${FEATURE_BITS}`);
  const { platt, threshold } = stored.complaint;
  return {
    version: stored.version,
    sentiment: loadLinear(stored.sentiment, source),
    complaint: { weights: loadLinear(stored.complaint, source), platt: { a: platt.a, b: platt.b }, threshold },
  };
}

export function readModelFile(path: string): AnalysisModel {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ModelFileError(`cannot read the model at ${path}: ${(error as Error).message}`);
  }
  return parseModel(text, path);
}

function storeLinear(w: LinearWeights): StoredLinear {
  const rows = w.classes.length;
  const weights: number[][] = [];
  for (let slot = 0; slot < DIMENSIONS; slot++) {
    const values: number[] = [];
    let keep = false;
    for (let row = 0; row < rows; row++) {
      const v = w.weights[slot * rows + row];
      if (Math.abs(v) >= PRUNE_BELOW) keep = true;
      values.push(Math.round(v * 1e4) / 1e4);
    }
    if (keep) weights.push([slot, ...values]);
  }
  return { classes: w.classes, bias: [...w.bias].map((b) => Math.round(b * 1e4) / 1e4), weights };
}

function loadLinear(stored: StoredLinear, source: string): LinearWeights {
  const rows = stored.classes.length;
  const w = emptyWeights(stored.classes);
  stored.bias.forEach((b, row) => (w.bias[row] = b));
  for (const entry of stored.weights) {
    const slot = entry[0];
    if (!Number.isInteger(slot) || slot < 0 || slot >= DIMENSIONS || entry.length !== rows + 1) {
      throw new ModelFileError(`${source} has a malformed weight entry for slot ${slot}`);
    }
    for (let row = 0; row < rows; row++) w.weights[slot * rows + row] = entry[row + 1];
  }
  return w;
}
