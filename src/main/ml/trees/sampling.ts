/**
 * Seeded draws for training: rows for a boosting round or a forest's tree,
 * features for a tree or a split. Draws without replacement come out in
 * ascending order (Knuth's selection sampling: one pass, no sort), which also
 * keeps row reads in memory order.
 */
import type { Prng } from '../../core/prng';

/** out.length of `items` drawn without replacement, in their order. */
export function sampleFrom<T extends Uint32Array | Int32Array>(items: ArrayLike<number>, out: T, rng: Prng): T {
  let needed = Math.min(out.length, items.length);
  let chosen = 0;
  const n = items.length;
  for (let i = 0; i < n && needed > 0; i++) {
    if (rng.nextFloat() * (n - i) < needed) {
      out[chosen++] = items[i]!;
      needed--;
    }
  }
  return out;
}

/** k of the indices 0..n-1 without replacement, ascending. */
export function sampleIndices<T extends Uint32Array | Int32Array>(n: number, out: T, rng: Prng): T {
  let needed = Math.min(out.length, n);
  let chosen = 0;
  for (let i = 0; i < n && needed > 0; i++) {
    if (rng.nextFloat() * (n - i) < needed) {
      out[chosen++] = i;
      needed--;
    }
  }
  return out;
}

/** `draws` rows drawn with replacement from 0..n-1, ascending, each repeated as often as drawn. */
export function bootstrapRows(n: number, draws: number, rng: Prng): Uint32Array {
  const times = new Uint32Array(n);
  for (let i = 0; i < draws; i++) times[rng.int(n)]!++;
  const rows = new Uint32Array(draws);
  let at = 0;
  for (let r = 0; r < n; r++) for (let c = times[r]!; c > 0; c--) rows[at++] = r;
  return rows;
}

export function allIndices(n: number): Uint32Array {
  return Uint32Array.from({ length: n }, (_, i) => i);
}
