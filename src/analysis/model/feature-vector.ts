// Hashed features: a feature's name is hashed into one of DIMENSIONS slots, so a model is only
// numbers over slots and holds no word of the posts it learned from. Two names may share a slot;
// with 2^18 slots and a few thousand live features that costs nothing measurable.
export const FEATURE_BITS = 18;
export const DIMENSIONS = 1 << FEATURE_BITS;
const MASK = DIMENSIONS - 1;

// FNV-1a over UTF-16 code units: fast, stable across runs and machines.
export function featureSlot(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) & MASK;
}

// A sparse vector; a slot may appear more than once, and its values then add up.
export class FeatureVector {
  readonly slots: number[] = [];
  readonly values: number[] = [];
  // Kept only when asked, to explain a decision by the features' names.
  readonly names: string[] | null;

  constructor(keepNames: boolean) {
    this.names = keepNames ? [] : null;
  }

  add(name: string, value = 1): void {
    if (value === 0) return;
    this.slots.push(featureSlot(name));
    this.values.push(value);
    this.names?.push(name);
  }

  scale(from: number, factor: number): void {
    for (let i = from; i < this.values.length; i++) this.values[i] *= factor;
  }

  get size(): number {
    return this.slots.length;
  }
}
