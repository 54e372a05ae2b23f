/**
 * Capture mutations in the spirit of Wireshark's fuzz testing (editcap -E random byte corruption,
 * truncation at random offsets, random record lengths, spliced headers). Deterministic: the same
 * seed gives the same mutant.
 */
import { Prng } from '../../bench/generator/prng';

/** The project's deterministic generator (bench/generator/prng.ts), as the fuzzer uses it. */
export type Rng = Prng;

/** Integer in [0, n). */
function below(rng: Rng, n: number): number {
  return Math.floor(rng.next() * n);
}

export type MutationKind = 'corrupt' | 'truncate' | 'length' | 'splice' | 'mixed';
export const MUTATIONS: MutationKind[] = ['corrupt', 'truncate', 'length', 'splice', 'mixed'];

/** editcap -E: every byte after the file header changed with probability p. */
function corrupt(b: Uint8Array, rng: Rng, p: number): void {
  for (let i = 24; i < b.length; i++) if (rng.next() < p) b[i] = below(rng, 256);
}

/** Overwrite a 32-bit word at a random 4-aligned offset with a hostile length. */
function randomLength(b: Uint8Array, rng: Rng): void {
  if (b.length < 8) return;
  const at = below(rng, b.length >> 2) << 2;
  const values = [0, 1, 0xffffffff, 0x7fffffff, 0x10000, below(rng, 0x100000000), 12, 13, 0x0a0d0d0a];
  const v = values[below(rng, values.length)];
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (at + 4 <= b.length) dv.setUint32(at, v >>> 0, rng.next() < 0.5);
}

/** Copy a run of bytes from one place to another (headers in the middle of payloads and back). */
function splice(b: Uint8Array, rng: Rng): void {
  if (b.length < 64) return;
  const len = 16 + below(rng, 64);
  const from = below(rng, b.length - len);
  const to = below(rng, b.length - len);
  b.copyWithin(to, from, from + len);
}

export function mutate(input: Uint8Array, kind: MutationKind, rng: Rng): Uint8Array {
  let b = input.slice();
  const apply = (k: Exclude<MutationKind, 'mixed'>) => {
    if (k === 'corrupt') corrupt(b, rng, [0.0005, 0.002, 0.02][below(rng, 3)]);
    else if (k === 'truncate') b = b.subarray(0, below(rng, b.length + 1));
    else if (k === 'length') for (let i = 1 + below(rng, 4); i > 0; i--) randomLength(b, rng);
    else splice(b, rng);
  };
  if (kind === 'mixed') for (let i = 1 + below(rng, 3); i > 0; i--) apply((['corrupt', 'truncate', 'length', 'splice'] as const)[below(rng, 4)]);
  else apply(kind);
  return b;
}
