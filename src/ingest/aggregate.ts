// Counts per (user, event) pair as rows stream in: memory grows with the users and events, never with
// the number of rows. While there are few events (≤ 64) the counts live in a dense users × events
// table, widened eight columns at a time and grown 1.5× in rows, which the finished matrix then reuses
// in place; past 64 events they move to an open-addressing hash table of pairs on typed arrays (a JS
// Map of pairs costs ~10× the memory at millions of pairs).

import { IdMap } from './id-map.js';

const DENSE_MAX_EVENTS = 64;

export class EventAggregator {
  readonly users: string[] = [];
  readonly events: string[] = [];
  private readonly userIds = new IdMap();
  private readonly eventIds = new Map<string, number>();
  private lastUser = '';
  private lastUserIndex = -1;
  // dense mode
  private dense: Float32Array | undefined = new Float32Array(1024 * 8);
  private cols = 8;
  // pair mode
  private pairs: PairTable | undefined;

  userIndex(id: string): number {
    if (id === this.lastUser) return this.lastUserIndex; // event logs often list a user's rows together
    let u = this.userIds.get(id);
    if (u === undefined) {
      u = this.users.length;
      this.userIds.add(id, u);
      this.users.push(id);
    }
    this.lastUser = id;
    this.lastUserIndex = u;
    return u;
  }

  eventIndex(name: string): number {
    let e = this.eventIds.get(name);
    if (e === undefined) {
      e = this.events.length;
      this.eventIds.set(name, e);
      this.events.push(name);
    }
    return e;
  }

  /** Adds `count` to the pair (a zero count registers nothing). */
  add(u: number, e: number, count: number): void {
    if (count === 0) return;
    const dense = this.dense;
    if (dense) {
      const at = u * this.cols + e;
      if (e < this.cols && at < dense.length) {
        dense[at]! += count;
        return;
      }
      this.makeRoom(u, e);
      if (this.dense) {
        this.dense[u * this.cols + e]! += count;
        return;
      }
    }
    this.pairs!.add(u, e, count);
  }

  /** Calls fn for every pair with a positive count. */
  forEachPair(fn: (u: number, e: number, count: number) => void): void {
    if (this.dense) {
      const d = this.dense, cols = this.cols, m = this.events.length;
      for (let u = 0; u < this.users.length; u++) for (let e = 0; e < m; e++) if (d[u * cols + e]! > 0) fn(u, e, d[u * cols + e]!);
    } else {
      this.pairs!.forEach(fn);
    }
  }

  /** Per event: how many distinct users did it. */
  usersPerEvent(): Int32Array {
    const n = new Int32Array(this.events.length);
    this.forEachPair((_, e) => n[e]!++);
    return n;
  }

  /**
   * The dense users × events matrix of the kept users (rowOf ≥ 0, in order) and columns (column[e] ≥ 0),
   * built in the table's own memory when the table is dense (the aggregator is spent afterwards).
   */
  takeDense(rowOf: Int32Array, column: Int32Array, n: number, m: number): Float32Array {
    const d = this.dense;
    if (!d || m > this.cols) {
      const out = new Float32Array(n * m);
      this.forEachPair((u, e, c) => { if (rowOf[u]! >= 0 && column[e]! >= 0) out[rowOf[u]! * m + column[e]!] = c; });
      return out;
    }
    // Row r of the result never overlaps a row ≥ u still to be read (r ≤ u, m ≤ cols): compact in place.
    const cols = this.cols, row = new Float32Array(m);
    for (let u = 0; u < this.users.length; u++) {
      const r = rowOf[u]!;
      if (r < 0) continue;
      row.fill(0);
      for (let e = 0; e < this.events.length; e++) if (column[e]! >= 0) row[column[e]!] = d[u * cols + e]!;
      d.set(row, r * m);
    }
    this.dense = undefined;
    return d.subarray(0, n * m);
  }

  private makeRoom(u: number, e: number): void {
    const d = this.dense!;
    if (e >= DENSE_MAX_EVENTS) {
      // Too many events for a dense table: move to pairs.
      const pairs = new PairTable();
      const cols = this.cols;
      for (let v = 0; v < this.users.length; v++) for (let f = 0; f < cols; f++) if (d[v * cols + f]! > 0) pairs.add(v, f, d[v * cols + f]!);
      this.pairs = pairs;
      this.dense = undefined;
      return;
    }
    const cols = e >= this.cols ? Math.ceil((e + 1) / 8) * 8 : this.cols;
    const rows = Math.max(u + 1, Math.ceil((d.length / this.cols) * (u * this.cols >= d.length ? 1.5 : 1)));
    const next = new Float32Array(rows * cols);
    if (cols === this.cols) next.set(d);
    else for (let v = 0; v < this.users.length; v++) next.set(d.subarray(v * this.cols, (v + 1) * this.cols), v * cols);
    this.dense = next;
    this.cols = cols;
  }
}

/** Open addressing with linear probing on parallel typed arrays; kept at most half full. */
class PairTable {
  private user = new Int32Array(1 << 16).fill(-1);
  private event = new Int32Array(1 << 16);
  private count = new Float64Array(1 << 16);
  private mask = (1 << 16) - 1;
  private size = 0;

  add(u: number, e: number, c: number): void {
    let slot = hash(u, e) & this.mask;
    for (;;) {
      const owner = this.user[slot]!;
      if (owner === -1) break;
      if (owner === u && this.event[slot] === e) {
        this.count[slot]! += c;
        return;
      }
      slot = (slot + 1) & this.mask;
    }
    this.user[slot] = u;
    this.event[slot] = e;
    this.count[slot] = c;
    if (++this.size * 2 > this.user.length) this.grow();
  }

  forEach(fn: (u: number, e: number, c: number) => void): void {
    for (let s = 0; s < this.user.length; s++) if (this.user[s]! >= 0 && this.count[s]! > 0) fn(this.user[s]!, this.event[s]!, this.count[s]!);
  }

  private grow(): void {
    const { user, event, count } = this;
    const capacity = user.length * 2;
    this.user = new Int32Array(capacity).fill(-1);
    this.event = new Int32Array(capacity);
    this.count = new Float64Array(capacity);
    this.mask = capacity - 1;
    for (let s = 0; s < user.length; s++) {
      if (user[s]! < 0) continue;
      let slot = hash(user[s]!, event[s]!) & this.mask;
      while (this.user[slot]! !== -1) slot = (slot + 1) & this.mask;
      this.user[slot] = user[s]!;
      this.event[slot] = event[s]!;
      this.count[slot] = count[s]!;
    }
  }
}

function hash(u: number, e: number): number {
  let h = Math.imul(u, 0x9e3779b1) ^ Math.imul(e + 1, 0x85ebca77);
  h ^= h >>> 15;
  return Math.imul(h, 0x2c1b3c6d) >>> 0;
}
