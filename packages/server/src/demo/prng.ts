/** mulberry32: a small deterministic PRNG, so the demo history is the same on every start. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed from a text (FNV-1a), e.g. a programme's and a room's id. */
export function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Helpers over one PRNG. */
export interface Dice {
  (): number;
  /** true with probability p. */
  chance(p: number): boolean;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(list: readonly T[]): T;
}

export function dice(seed: number): Dice {
  const r = prng(seed);
  const d = (() => r()) as Dice;
  d.chance = (p) => r() < p;
  d.int = (min, max) => min + Math.floor(r() * (max - min + 1));
  d.pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
  return d;
}
