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

// The named features that pushed a score most in the given direction, strongest first: their
// positions among x's named features (x.nameAt) and how much each pushed. amounts[i] is what
// feature i added to the score, as the scorer recorded it.
export function strongestFeatures(x: FeatureVector, amounts: Float64Array, direction: 1 | -1, count: number): { k: number[]; amount: number[] } {
  const ranked = { k: [] as number[], amount: [] as number[] };
  if (!x.keepNames) return ranked;
  // By slot: a feature named twice (a word said twice) counts once, with both amounts.
  const bySlot = SlotTotals.for(x.named.length);
  for (let k = 0; k < x.named.length; k++) {
    const i = x.named[k];
    if (amounts[i] !== 0) bySlot.add(x.slots[i], k, amounts[i]);
  }
  const pushing: number[] = [];
  for (let e = 0; e < bySlot.size; e++) if (bySlot.amounts[e] * direction > 0) pushing.push(e);
  pushing.sort((a, b) => Math.abs(bySlot.amounts[b]) - Math.abs(bySlot.amounts[a]));
  for (let n = 0; n < pushing.length && n < count; n++) {
    ranked.k.push(bySlot.firstNamed[pushing[n]]);
    ranked.amount.push(bySlot.amounts[pushing[n]]);
  }
  return ranked;
}

// Amounts summed by slot in a small open-addressed table, in the order slots were first seen.
// One table serves every call: it stays in the processor's cache, where a table over all
// DIMENSIONS slots would not.
class SlotTotals {
  private static shared = new SlotTotals(256);
  size = 0;
  readonly amounts: Float64Array;
  readonly firstNamed: Int32Array;
  private readonly slotOf: Int32Array;
  // Per bucket: 1 + the entry it holds, or 0 when empty.
  private readonly buckets: Int32Array;

  private constructor(private readonly capacity: number) {
    this.amounts = new Float64Array(capacity);
    this.firstNamed = new Int32Array(capacity);
    this.slotOf = new Int32Array(capacity);
    this.buckets = new Int32Array(capacity * 2);
  }

  static for(entries: number): SlotTotals {
    if (entries > SlotTotals.shared.capacity) SlotTotals.shared = new SlotTotals(1 << Math.ceil(Math.log2(entries)));
    const table = SlotTotals.shared;
    table.buckets.fill(0);
    table.size = 0;
    return table;
  }

  add(slot: number, k: number, amount: number): void {
    const mask = this.buckets.length - 1;
    for (let b = Math.imul(slot, 0x9e3779b1) & mask; ; b = (b + 1) & mask) {
      const held = this.buckets[b];
      if (held === 0) {
        const e = this.size++;
        this.buckets[b] = e + 1;
        this.slotOf[e] = slot;
        this.firstNamed[e] = k;
        this.amounts[e] = amount;
        return;
      }
      if (this.slotOf[held - 1] === slot) {
        this.amounts[held - 1] += amount;
        return;
      }
    }
  }
}
