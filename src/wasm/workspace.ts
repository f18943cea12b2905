// One WebAssembly memory with a bump arena, and the kernels instantiated over it.
// The host owns all memory: kernels only read and write the buffers handed to them. Buffers are
// handles ({ptr, length}); typed-array views are made on demand from the current memory.buffer,
// because memory.grow detaches every earlier view.

import type { KernelExports } from './kernels.js';
import { WasmMemoryError } from '../errors.js';

const PAGE_BYTES = 65536;
const MAX_PAGES = 65536; // 4 GiB: the wasm32 limit (Node and Chromium allow all of it)
const ALIGN = 16; // v128 loads want 16-byte alignment

/** A float32 buffer in a workspace. `view()` is valid until the next allocation. */
export class F32Buffer {
  constructor(readonly memory: WebAssembly.Memory, readonly ptr: number, readonly length: number) {}
  view(): Float32Array {
    return new Float32Array(this.memory.buffer, this.ptr, this.length);
  }
  /** Byte offset of element i, for passing a sub-range to a kernel. */
  at(i: number): number {
    return this.ptr + i * 4;
  }
}

/** An int32 buffer in a workspace. `view()` is valid until the next allocation. */
export class I32Buffer {
  constructor(readonly memory: WebAssembly.Memory, readonly ptr: number, readonly length: number) {}
  view(): Int32Array {
    return new Int32Array(this.memory.buffer, this.ptr, this.length);
  }
  at(i: number): number {
    return this.ptr + i * 4;
  }
}

export class Workspace {
  readonly blockRows: number;
  private top: number;

  constructor(
    readonly kernels: KernelExports,
    readonly memory: WebAssembly.Memory,
    /** Which binary runs: SIMD or the scalar fallback. */
    readonly simd: boolean,
  ) {
    this.top = alignUp(kernels.heapBase() >>> 0);
    this.blockRows = kernels.blockRows();
  }

  /** Bytes in use by the arena (including the module's static data). */
  get usedBytes(): number {
    return this.top;
  }

  allocF32(length: number): F32Buffer {
    return new F32Buffer(this.memory, this.reserve(length * 4), length);
  }

  allocI32(length: number): I32Buffer {
    return new I32Buffer(this.memory, this.reserve(length * 4), length);
  }

  /** A float32 buffer holding a copy of `values`. */
  f32From(values: ArrayLike<number>): F32Buffer {
    const buffer = this.allocF32(values.length);
    buffer.view().set(values);
    return buffer;
  }

  private reserve(bytes: number): number {
    const ptr = this.top;
    const end = alignUp(ptr + Math.max(bytes, 0));
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE_BYTES);
      if (have / PAGE_BYTES + pages > MAX_PAGES) {
        throw new WasmMemoryError(
          `the problem needs ${formatBytes(end)} of WebAssembly memory; 32-bit WebAssembly stops at 4 GiB. ` +
            'Use fewer users (fit on a sample, then assign everyone) or fewer events.',
        );
      }
      try {
        this.memory.grow(pages);
      } catch (cause) {
        throw new WasmMemoryError(`the engine refused to grow WebAssembly memory to ${formatBytes(end)}: ${String(cause)}`);
      }
    }
    this.top = end;
    return ptr;
  }
}

function alignUp(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

function formatBytes(n: number): string {
  return n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(2)} GiB` : `${(n / 2 ** 20).toFixed(1)} MiB`;
}

/** Pages to reserve up front for `bytes` of buffers (so a fit never grows memory midway). */
export function pagesFor(bytes: number): number {
  return Math.min(MAX_PAGES, Math.max(1, Math.ceil((bytes + 1024 * 1024) / PAGE_BYTES)));
}

export { MAX_PAGES };
