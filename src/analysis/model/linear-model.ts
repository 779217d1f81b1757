import { DIMENSIONS, type FeatureVector } from './feature-vector.js';

// One linear scorer per class over hashed slots. A binary model has one class (the positive one).
export interface LinearWeights {
  classes: string[];
  // DIMENSIONS slots of classes.length weights, slot-major: a feature's weights for every class
  // share a cache line, so scoring all classes costs one memory read per feature.
  weights: Float32Array;
  bias: Float32Array;
}

export function emptyWeights(classes: string[]): LinearWeights {
  return { classes, weights: new Float32Array(classes.length * DIMENSIONS), bias: new Float32Array(classes.length) };
}

export function cloneWeights(w: LinearWeights): LinearWeights {
  return { classes: [...w.classes], weights: new Float32Array(w.weights), bias: new Float32Array(w.bias) };
}

export const weightIndex = (w: LinearWeights, slot: number, row: number) => slot * w.classes.length + row;

export function score(w: LinearWeights, x: FeatureVector, row: number): number {
  const rows = w.classes.length;
  let z = w.bias[row];
  const { slots, values } = x;
  for (let i = 0; i < slots.length; i++) z += w.weights[slots[i] * rows + row] * values[i];
  return z;
}

// Every class's score in one pass over the features.
export function scores(w: LinearWeights, x: FeatureVector): number[] {
  const rows = w.classes.length;
  const z = Array.from(w.bias);
  const { slots, values } = x;
  for (let i = 0; i < slots.length; i++) {
    const base = slots[i] * rows;
    const v = values[i];
    for (let row = 0; row < rows; row++) z[row] += w.weights[base + row] * v;
  }
  return z;
}

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function softmax(z: number[]): number[] {
  let max = -Infinity;
  for (const v of z) if (v > max) max = v;
  let total = 0;
  const e = new Array<number>(z.length);
  for (let i = 0; i < z.length; i++) total += e[i] = Math.exp(z[i] - max);
  for (let i = 0; i < z.length; i++) e[i] /= total;
  return e;
}

// The named features that pushed a row's score most in the given direction.
export function strongestFeatures(w: LinearWeights, x: FeatureVector, row: number, direction: 1 | -1, count: number): [string, number][] {
  const names = x.names;
  if (!names) return [];
  const rows = w.classes.length;
  const byName = new Map<string, number>();
  for (const i of x.named) {
    const name = names[i]!;
    const amount = w.weights[x.slots[i] * rows + row] * x.values[i];
    if (amount !== 0) byName.set(name, (byName.get(name) ?? 0) + amount);
  }
  const pushing: [string, number][] = [];
  for (const entry of byName) if (entry[1] * direction > 0) pushing.push(entry);
  return pushing.sort((a, b) => Math.abs(b[1]) - Math.abs(a[1])).slice(0, count);
}
