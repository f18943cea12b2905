// The two embedded kernel binaries, decoded, for tests that inspect them.
import simdBase64 from '../src/wasm/binaries/simd.js';
import scalarBase64 from '../src/wasm/binaries/scalar.js';

const decode = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
export const simdBinary = () => decode(simdBase64);
export const scalarBinary = () => decode(scalarBase64);
