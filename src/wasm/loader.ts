// Loads the kernels: picks the SIMD or scalar binary, compiles it once (asynchronously: browsers
// refuse large synchronous compiles) and instantiates it over a fresh memory per workspace.
// The binaries are embedded as base64 modules, so this file works unchanged in Node, test runners,
// bundlers (Vite, webpack, esbuild) and workers, with no fetch, path or MIME type to configure.

import simdBase64 from './binaries/simd.js';
import scalarBase64 from './binaries/scalar.js';
import { KERNEL_NAMES, type KernelExports } from './kernels.js';
import { simdSupported } from './features.js';
import { Workspace, pagesFor, MAX_PAGES } from './workspace.js';
import { PersonasError } from '../errors.js';

export interface KernelLoadOptions {
  /**
   * Use the SIMD binary. Default: whenever the engine supports WebAssembly SIMD. `false` forces the
   * scalar fallback (slower, same algorithm); `true` fails if SIMD is missing.
   */
  simd?: boolean;
}

const compiled = new Map<boolean, Promise<WebAssembly.Module>>();

/** The compiled kernel module (cached per variant); a worker can receive it with postMessage. */
export function compileKernels(options: KernelLoadOptions = {}): Promise<WebAssembly.Module> {
  const simd = resolveSimd(options.simd);
  let module = compiled.get(simd);
  if (!module) {
    module = WebAssembly.compile(decodeBase64(simd ? simdBase64 : scalarBase64));
    compiled.set(simd, module);
  }
  return module;
}

/** Whether the given option resolves to the SIMD binary on this engine. */
export function resolveSimd(simd: boolean | undefined): boolean {
  if (simd === undefined) return simdSupported();
  if (simd && !simdSupported()) {
    throw new PersonasError(
      'NO_SIMD',
      'simd: true was asked for, but this engine has no WebAssembly SIMD; leave simd unset to fall back to the scalar build',
    );
  }
  return simd;
}

/**
 * A new workspace: its own memory (sized for `bytes` of buffers up front) and kernel instance. With
 * `sharedModule` (the shared-memory build, from a RowPool), the memory is shared so worker threads
 * can run the same kernels on it.
 */
export async function createWorkspace(options: KernelLoadOptions & { bytes?: number; sharedModule?: WebAssembly.Module } = {}): Promise<Workspace> {
  const simd = resolveSimd(options.simd);
  const module = options.sharedModule ?? await compileKernels({ simd });
  const memory = new WebAssembly.Memory({ initial: pagesFor(options.bytes ?? 0), maximum: MAX_PAGES, shared: options.sharedModule !== undefined });
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  return new Workspace(checkExports(instance.exports), memory, simd);
}

function checkExports(exports: WebAssembly.Exports): KernelExports {
  for (const name of KERNEL_NAMES) {
    if (typeof exports[name] !== 'function') {
      throw new PersonasError('BAD_BINARY', `the kernel binary lacks the export ${name}; rebuild with npm run build:wasm`);
    }
  }
  return exports as unknown as KernelExports;
}

export function decodeBase64(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
