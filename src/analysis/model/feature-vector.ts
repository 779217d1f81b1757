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

// The named features (flags, cues, the language) are few and come back with every post: their
// slots are remembered rather than hashed again.
const NAMED_SLOTS = new Map<string, number>();
const MAX_NAMED_SLOTS = 10_000;

function namedSlot(name: string): number {
  let slot = NAMED_SLOTS.get(name);
  if (slot === undefined) {
    slot = featureSlot(name);
    if (NAMED_SLOTS.size < MAX_NAMED_SLOTS) NAMED_SLOTS.set(name, slot);
  }
  return slot;
}

export const hashOf = (prefix: string) => extendHash(FNV_OFFSET, prefix, 0, prefix.length);
export const slotOfHash = (hash: number) => (hash >>> 0) & MASK;

// A sparse vector; a slot may appear more than once, and its values then add up.
export class FeatureVector {
  // Typed and grown by doubling: a post makes a few hundred features, and plain arrays of
  // mixed numbers cost more to fill and to read.
  slots = new Int32Array(INITIAL_CAPACITY);
  values = new Float64Array(INITIAL_CAPACITY);
  size = 0;
  // Kept only when asked, to explain a decision: where the features a person can read are (not
  // the letter groups), and their names in parts, joined only for the few an explanation shows.
  readonly named: number[] = [];
  private readonly prefixes: string[] = [];
  private readonly firsts: string[] = [];
  private readonly seconds: string[] = [];

  constructor(readonly keepNames: boolean) {}

  add(name: string, value = 1): void {
    if (value === 0) return;
    this.addHashed(namedSlot(name), name, '', '', value);
  }

  // A feature hashed by the caller, named prefix + first (+ ' ' + second).
  addHashed(slot: number, prefix: string, first: string, second = '', value = 1): void {
    if (this.keepNames) {
      this.named.push(this.size);
      this.prefixes.push(prefix);
      this.firsts.push(first);
      this.seconds.push(second);
    }
    this.push(slot, value);
  }

  // Empty again, keeping its memory: the analysis reuses one vector post after post.
  clear(): void {
    this.size = 0;
    this.named.length = 0;
    this.prefixes.length = 0;
    this.firsts.length = 0;
    this.seconds.length = 0;
  }

  // The name of the k-th named feature.
  nameAt(k: number): string {
    return this.prefixes[k] + this.firsts[k] + (this.seconds[k] ? ` ${this.seconds[k]}` : '');
  }

  // The named features whose name starts so; they are few (cues, flags), words excepted.
  namesStartingWith(start: string): string[] {
    const found: string[] = [];
    for (let k = 0; k < this.named.length; k++) if (this.prefixes[k].startsWith(start)) found.push(this.nameAt(k));
    return found;
  }

  // A feature by its slot, with no name: the letter groups, hashed without building strings.
  addSlot(slot: number, value = 1): void {
    this.push(slot, value);
  }

  scale(from: number, factor: number): void {
    for (let i = from; i < this.size; i++) this.values[i] *= factor;
  }

  private push(slot: number, value: number): void {
    if (this.size === this.slots.length) {
      const slots = new Int32Array(this.size * 2);
      slots.set(this.slots);
      this.slots = slots;
      const values = new Float64Array(this.size * 2);
      values.set(this.values);
      this.values = values;
    }
    this.slots[this.size] = slot;
    this.values[this.size++] = value;
  }
}

const INITIAL_CAPACITY = 256;
