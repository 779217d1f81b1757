import { DIMENSIONS, type FeatureVector } from './feature-vector.js';

// One linear scorer per class over hashed slots. A binary model has one class (the positive one).
export interface LinearWeights {
  classes: string[];
  // classes.length rows of DIMENSIONS weights, row-major.
  weights: Float32Array;
  bias: Float32Array;
}

export function emptyWeights(classes: string[]): LinearWeights {
  return { classes, weights: new Float32Array(classes.length * DIMENSIONS), bias: new Float32Array(classes.length) };
}

export function cloneWeights(w: LinearWeights): LinearWeights {
  return { classes: [...w.classes], weights: new Float32Array(w.weights), bias: new Float32Array(w.bias) };
}

export function score(w: LinearWeights, x: FeatureVector, row: number): number {
  const offset = row * DIMENSIONS;
  let z = w.bias[row];
  const { slots, values } = x;
  for (let i = 0; i < slots.length; i++) z += w.weights[offset + slots[i]] * values[i];
  return z;
}

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function softmax(z: number[]): number[] {
  const max = Math.max(...z);
  const e = z.map((v) => Math.exp(v - max));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / total);
}

// The features that pushed a row's score most in the given direction, by name.
export function strongestFeatures(w: LinearWeights, x: FeatureVector, row: number, direction: 1 | -1, count: number): [string, number][] {
  if (!x.names) return [];
  const offset = row * DIMENSIONS;
  const byName = new Map<string, number>();
  for (let i = 0; i < x.slots.length; i++) {
    const amount = w.weights[offset + x.slots[i]] * x.values[i];
    byName.set(x.names[i], (byName.get(x.names[i]) ?? 0) + amount);
  }
  return [...byName]
    .filter(([, amount]) => amount * direction > 0)
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
    .slice(0, count);
}
