// The shared-memory build of the kernels, compiled once per variant, for kernel worker pools (Node's
// and the browser's). Kept apart from loader.ts so single-thread bundles do not carry these binaries.

import simdShared from './binaries/simd-shared.js';
import scalarShared from './binaries/scalar-shared.js';
import { decodeBase64 } from './loader.js';

const compiled = new Map<boolean, Promise<WebAssembly.Module>>();

export function compileSharedKernels(simd: boolean): Promise<WebAssembly.Module> {
  let m = compiled.get(simd);
  if (!m) {
    m = WebAssembly.compile(decodeBase64(simd ? simdShared : scalarShared));
    compiled.set(simd, m);
  }
  return m;
}
