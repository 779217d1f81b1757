import { DIMENSIONS, type FeatureVector } from './feature-vector.js';
import { cloneWeights, emptyWeights, type LinearWeights, score, scores, sigmoid, softmax } from './linear-model.js';

export interface Example {
  x: FeatureVector;
  // The class's index in `classes`; for a binary model 1 is the positive class, 0 the other.
  y: number;
  // How much this example counts (a care team's correction counts more than a dataset row).
  weight?: number;
}

export interface TrainOptions {
  epochs: number;
  learningRate: number;
  // Pulls every weight towards the prior's (or towards 0 without one).
  l2: number;
  seed: number;
  // Weight per class, so a rare class is not drowned (macro scores count classes equally).
  classWeights?: number[];
  // Start from these weights and stay near them: a brand's model on top of the starter model.
  prior?: LinearWeights;
}

// Logistic regression (one sigmoid, or softmax over classes) by AdaGrad, in one pass per epoch
// over a seeded shuffle: the same data and options always give the same model.
export function trainLinear(examples: readonly Example[], classes: string[], options: TrainOptions): LinearWeights {
  const binary = classes.length === 1;
  const rows = classes.length;
  const model = options.prior ? cloneWeights(options.prior) : emptyWeights(classes);
  const anchor = options.prior?.weights;
  const squared = new Float32Array(rows * DIMENSIONS);
  const biasSquared = new Float32Array(rows);
  const random = seeded(options.seed);
  const order = examples.map((_, i) => i);
  const gradient = new Array<number>(rows);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffle(order, random);
    for (const i of order) {
      const { x, y } = examples[i];
      const weight = (examples[i].weight ?? 1) * (options.classWeights?.[y] ?? 1);
      if (binary) {
        gradient[0] = (sigmoid(score(model, x, 0)) - y) * weight;
      } else {
        const p = softmax(scores(model, x));
        for (let row = 0; row < rows; row++) gradient[row] = (p[row] - (row === y ? 1 : 0)) * weight;
      }
      for (let row = 0; row < rows; row++) {
        const g = gradient[row];
        for (let k = 0; k < x.size; k++) {
          const at = x.slots[k] * rows + row;
          const pull = options.l2 * (model.weights[at] - (anchor ? anchor[at] : 0));
          const step = g * x.values[k] + pull;
          squared[at] += step * step;
          model.weights[at] -= (options.learningRate * step) / (Math.sqrt(squared[at]) + 1e-8);
        }
        biasSquared[row] += g * g;
        model.bias[row] -= (options.learningRate * g) / (Math.sqrt(biasSquared[row]) + 1e-8);
      }
    }
  }
  return model;
}

// Class weights that make every class count as much in total: n / (k * count).
export function balancedClassWeights(examples: readonly Example[], classCount: number): number[] {
  const counts = new Array<number>(classCount).fill(0);
  for (const e of examples) counts[e.y]++;
  return counts.map((count) => (count ? examples.length / (classCount * count) : 1));
}

function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

function shuffle(order: number[], random: () => number): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
}

// The mean of models trained on different shuffles: steadier than any one of them, and still one
// linear model, so it costs nothing more to score.
export function trainAveraged(examples: readonly Example[], classes: string[], options: TrainOptions, runs: number): LinearWeights {
  const models = Array.from({ length: runs }, (_, run) => trainLinear(examples, classes, { ...options, seed: options.seed + run * 7919 }));
  const mean = cloneWeights(models[0]);
  for (let i = 0; i < mean.weights.length; i++) {
    let total = 0;
    for (const m of models) total += m.weights[i];
    mean.weights[i] = total / runs;
  }
  for (let row = 0; row < mean.bias.length; row++) mean.bias[row] = models.reduce((t, m) => t + m.bias[row], 0) / runs;
  return mean;
}
