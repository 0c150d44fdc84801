// Seeded randomness for the demo data: the same seed gives the same evening, every time.
export type Random = () => number;

/** mulberry32: a tiny 32-bit PRNG, uniform in [0, 1). */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a: a 32-bit hash of a string, to seed a stream from a name. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** An integer in [min, max]. */
export const between = (rnd: Random, min: number, max: number): number =>
  min + Math.floor(rnd() * (max - min + 1));

export function pick<T>(rnd: Random, items: readonly T[]): T {
  const item = items[Math.floor(rnd() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

/** One of the items, each as likely as its weight. */
export function weighted<T>(rnd: Random, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((sum, [, w]) => sum + w, 0);
  let r = rnd() * total;
  for (const [item, w] of items) {
    r -= w;
    if (r < 0) return item;
  }
  return pick(rnd, items)[0];
}

/** Gamma(shape, scale) for an integer shape: a sum of exponentials. Skewed right: slow start, peak, tail. */
export function gamma(rnd: Random, shape: number, scale: number): number {
  let sum = 0;
  for (let i = 0; i < shape; i++) sum -= Math.log(1 - rnd());
  return sum * scale;
}

/** Shuffles in place (Fisher-Yates) and returns the array. */
export function shuffle<T>(rnd: Random, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** `count` distinct indexes out of [0, n). */
export function sampleIndexes(rnd: Random, n: number, count: number): Set<number> {
  return new Set(
    shuffle(
      rnd,
      Array.from({ length: n }, (_, i) => i),
    ).slice(0, count),
  );
}
