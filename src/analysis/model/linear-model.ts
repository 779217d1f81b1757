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

export function score(w: LinearWeights, x: FeatureVector, row: number): number {
  const rows = w.classes.length;
  let z = w.bias[row];
  const { slots, values, size } = x;
  for (let i = 0; i < size; i++) z += w.weights[slots[i] * rows + row] * values[i];
  return z;
}

// Every class's score in one pass over the features.
export function scores(w: LinearWeights, x: FeatureVector): number[] {
  const rows = w.classes.length;
  const { slots, values, size } = x;
  const weights = w.weights;
  if (rows === 3) {
    // The sentiment model's three classes in locals: the common case, kept tight.
    let z0 = w.bias[0];
    let z1 = w.bias[1];
    let z2 = w.bias[2];
    for (let i = 0; i < size; i++) {
      const base = slots[i] * 3;
      const v = values[i];
      z0 += weights[base] * v;
      z1 += weights[base + 1] * v;
      z2 += weights[base + 2] * v;
    }
    return [z0, z1, z2];
  }
  const z = Array.from(w.bias);
  for (let i = 0; i < size; i++) {
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

// The named features that pushed a row's score most in the given direction, by name.
export function strongestFeatures(w: LinearWeights, x: FeatureVector, row: number, direction: 1 | -1, count: number): [string, number][] {
  if (!x.keepNames) return [];
  const rows = w.classes.length;
  // By slot: a feature named twice (a word said twice) counts once, with both amounts.
  const bySlot = new Map<number, { k: number; amount: number }>();
  for (let k = 0; k < x.named.length; k++) {
    const i = x.named[k];
    const amount = w.weights[x.slots[i] * rows + row] * x.values[i];
    if (amount === 0) continue;
    const seen = bySlot.get(x.slots[i]);
    if (seen) seen.amount += amount;
    else bySlot.set(x.slots[i], { k, amount });
  }
  const pushing: { k: number; amount: number }[] = [];
  for (const entry of bySlot.values()) if (entry.amount * direction > 0) pushing.push(entry);
  return pushing
    .sort((a, b) => Math.abs(b.amount) - Math.abs(a.amount))
    .slice(0, count)
    .map((e) => [x.nameAt(e.k), e.amount]);
}
