// Nearest-rank percentile: with 40 samples p95 is the 38th smallest, an observed value.
export function percentile(samples: readonly number[], p: number): number {
  if (!samples.length) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function rssMb(): number {
  // --expose-gc: RSS after a full collection says what the phase kept, not what it left for the GC.
  globalThis.gc?.();
  return Math.round(process.memoryUsage().rss / 1024 / 1024);
}

// Seeded, so every run posts the same texts in the same order.
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
