// Hashed features: a feature's name is hashed into one of DIMENSIONS slots, so a model is only
// numbers over slots and holds no word of the posts it learned from. Two names may share a slot;
// with 2^18 slots and a few thousand live features that costs nothing measurable.
export const FEATURE_BITS = 18;
export const DIMENSIONS = 1 << FEATURE_BITS;
const MASK = DIMENSIONS - 1;

const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

// FNV-1a over UTF-16 code units: fast, stable across runs and machines.
export function featureSlot(name: string): number {
  return (extendHash(FNV_OFFSET, name, 0, name.length) >>> 0) & MASK;
}

// The hash of a name continued over text[from, to): featureSlot('c:' + s) without building the string.
export function extendHash(hash: number, text: string, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash;
}

export const hashOf = (prefix: string) => extendHash(FNV_OFFSET, prefix, 0, prefix.length);
export const slotOfHash = (hash: number) => (hash >>> 0) & MASK;

// A sparse vector; a slot may appear more than once, and its values then add up.
export class FeatureVector {
  readonly slots: number[] = [];
  readonly values: number[] = [];
  // Kept only when asked, to explain a decision by the features' names; null for a feature
  // that explains nothing to a person (a letter group).
  readonly names: (string | null)[] | null;
  // Where the named features are: the explanation reads these few, not every letter group.
  readonly named: number[] = [];

  constructor(keepNames: boolean) {
    this.names = keepNames ? [] : null;
  }

  add(name: string, value = 1): void {
    if (value === 0) return;
    if (this.names) {
      this.named.push(this.slots.length);
      this.names.push(name);
    }
    this.slots.push(featureSlot(name));
    this.values.push(value);
  }

  // A feature by its slot, with no name: the letter groups, hashed without building strings.
  addSlot(slot: number, value = 1): void {
    this.slots.push(slot);
    this.values.push(value);
    this.names?.push(null);
  }

  scale(from: number, factor: number): void {
    for (let i = from; i < this.values.length; i++) this.values[i] *= factor;
  }

  get size(): number {
    return this.slots.length;
  }
}
