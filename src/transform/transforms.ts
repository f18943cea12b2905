// How event counts become the matrix NMF factorizes. Heavy-tailed counts (a few power users and bots
// hold most events) make raw-count Frobenius NMF chase volume instead of behaviour; log1p compresses it.

import { oneOf } from '../nmf/options.js';

export type TransformName = 'none' | 'log1p';
export const TRANSFORMS: readonly TransformName[] = ['none', 'log1p'];

export function checkTransform(name: unknown): TransformName {
  return oneOf(name, 'transform', TRANSFORMS);
}

/** A new Float32Array with the transform applied elementwise to counts. */
export function applyTransform(name: TransformName, counts: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(counts);
  if (name === 'log1p') for (let i = 0; i < out.length; i++) out[i] = Math.log1p(out[i]!);
  return out;
}
