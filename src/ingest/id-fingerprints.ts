// Repeated user ids in a stream too large to keep its ids: a 52-bit fingerprint per id (8 bytes, where
// the id in a Map takes ~50), sorted once at the end. Equal fingerprints are only candidates — two ids
// may share one (at 10M ids, about a 1 % chance that some pair does) — which the caller confirms by
// comparing the ids themselves in another pass.

/** Two 32-bit FNV-1a-style hashes of the id's UTF-16 code units, as one 52-bit integer. */
export function fingerprint(id: string): number {
  let a = 0x811c9dc5, b = 0x9747b28c;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0) * 0x100000 + ((b >>> 0) & 0xfffff);
}

export class FingerprintSet {
  private data = new Float64Array(1024);
  private n = 0;

  add(id: string): void {
    if (this.n === this.data.length) {
      const next = new Float64Array(Math.ceil(this.data.length * 1.5));
      next.set(this.data);
      this.data = next;
    }
    this.data[this.n++] = fingerprint(id);
  }

  /** Fingerprints seen more than once (sorts the set in place; adding afterwards is fine). */
  repeated(): Set<number> {
    const sorted = this.data.subarray(0, this.n).sort();
    const out = new Set<number>();
    for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) out.add(sorted[i]!);
    return out;
  }
}
