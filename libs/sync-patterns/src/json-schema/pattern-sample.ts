import RandExp from 'randexp';

/**
 * Strings that match a schema's `pattern`, drawn by randexp from the pattern itself, for the
 * patterns no fixed candidate satisfies (`^[A-Z]{3}-\d{4}$`, `^[0-9]{5}$`). Seeded by the pattern
 * (and the variant), so the same schema always gets the same values; `fits` adds the schema's
 * other bounds (lengths). None when the pattern is not one randexp reads or no draw fits.
 */
export function patternSample(pattern: string, fits: (value: string) => boolean, variant: number): string | undefined {
  return draws(pattern, fits, variant, 1)[0];
}

/** Up to `count` distinct strings that match `pattern` and `fits` (the fake rows' choices). */
export function patternSamples(pattern: string, fits: (value: string) => boolean, count: number): string[] {
  return draws(pattern, fits, 0, count);
}

/** Repetitions (`*`, `+`, `{2,}`) first drawn short, longer when the lengths need it. */
const MAX_REPEATS = [3, 8, 32, 100];
const DRAWS_PER_LENGTH = 8;
/**
 * Steps and characters one draw may take. A spec's pattern is untrusted: `((a{9}){99}){999}`, or
 * stars nested ten deep, would have randexp build strings of millions of characters.
 */
const DRAW_BUDGET = 20_000;

function draws(pattern: string, fits: (value: string) => boolean, variant: number, count: number): string[] {
  let generator: RandExp;
  try {
    generator = new RandExp(pattern);
  } catch {
    return [];
  }
  const random = seeded(hash(`${variant}\0${pattern}`));
  generator.randInt = (low, high) => low + Math.floor(random() * (high - low + 1));
  const draw = bounded(generator);
  const found = new Set<string>();
  for (const max of MAX_REPEATS) {
    generator.max = max;
    let overBudget = false;
    for (let i = 0; i < DRAWS_PER_LENGTH * count && found.size < count; i++) {
      const value = draw();
      if (value === OVER_BUDGET) overBudget = true;
      else if (value !== undefined && fits(value)) found.add(value);
    }
    // longer repetitions would only cost more
    if (found.size || overBudget) break;
  }
  return [...found];
}

const OVER_BUDGET = Symbol('over budget');

/** Draws from `generator`, each stopped once it has taken DRAW_BUDGET steps and characters. */
function bounded(generator: RandExp): () => string | undefined | typeof OVER_BUDGET {
  const step = generator._gen.bind(generator);
  let work = 0;
  const stop = new Error('over budget');
  // randexp's recursion goes through this property: every token drawn is counted
  generator._gen = (token, groups) => {
    if (++work > DRAW_BUDGET) throw stop;
    const text = step(token, groups);
    if ((work += text.length) > DRAW_BUDGET) throw stop;
    return text;
  };
  return () => {
    work = 0;
    try {
      return generator.gen();
    } catch (error) {
      return error === stop ? OVER_BUDGET : undefined;
    }
  };
}

/** FNV-1a: a stable 32-bit seed from the pattern's text. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** mulberry32: small, fast and the same on every machine. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
