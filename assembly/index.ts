// The kernel ABI: every export of the WASM module, and nothing else. src/wasm/kernels.ts mirrors
// this list as a typed interface; a test checks that both binaries export exactly that list.
// Only pointers (byte offsets into the host's memory) and numbers cross the boundary.

import { BLOCK_ROWS } from './simd';

export { gemmTN, gemmNN, csrGemmNN, csrGemmTN } from './products';
export { muApply, klRatio, cdUpdate, cdSolve, multiplyInto } from './updates';
export { muFrobeniusPass, halsPass, muKlPass, muFrobeniusPassCsr, halsPassCsr, muKlPassCsr, maskedMuPass, maskedLoss } from './passes';
export { lossFrobenius, lossKl, lossFrobeniusCsr, lossKlCsr } from './loss';
export { sum, sumSquares, transpose } from './reduce';
export { argmaxRows, topKRows } from './select';

/** First byte the host may use: static data (if any) lies below. */
export function heapBase(): usize {
  return __heap_base;
}

/** Rows per block in the blocked kernels; the host sizes scratch buffers with it. */
export function blockRows(): i32 {
  return BLOCK_ROWS;
}
