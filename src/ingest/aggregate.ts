// Counts per (user, event) pair as rows stream in: memory grows with the distinct pairs (at most
// users × events), never with the number of rows. An open-addressing hash table on typed arrays
// (a JS Map of pairs costs ~10× the memory at millions of pairs).

export class EventAggregator {
  readonly users: string[] = [];
  readonly events: string[] = [];
  private readonly userIds = new Map<string, number>();
  private readonly eventIds = new Map<string, number>();
  private pairUser: Int32Array;
  private pairEvent: Int32Array;
  private pairCount: Float64Array;
  private mask: number;
  /** Distinct (user, event) pairs seen. */
  size = 0;

  constructor(capacity = 1 << 16) {
    this.pairUser = new Int32Array(capacity).fill(-1);
    this.pairEvent = new Int32Array(capacity);
    this.pairCount = new Float64Array(capacity);
    this.mask = capacity - 1;
  }

  userIndex(id: string): number {
    let u = this.userIds.get(id);
    if (u === undefined) {
      u = this.users.length;
      this.userIds.set(id, u);
      this.users.push(id);
    }
    return u;
  }

  /** The index of a known user, or undefined. */
  knownUser(id: string): number | undefined {
    return this.userIds.get(id);
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

  /** Adds `count` to the pair (a zero count registers the user and event but no pair). */
  add(u: number, e: number, count: number): void {
    if (count === 0) return;
    let slot = hash(u, e) & this.mask;
    for (;;) {
      const owner = this.pairUser[slot]!;
      if (owner === -1) break;
      if (owner === u && this.pairEvent[slot] === e) {
        this.pairCount[slot]! += count;
        return;
      }
      slot = (slot + 1) & this.mask;
    }
    this.pairUser[slot] = u;
    this.pairEvent[slot] = e;
    this.pairCount[slot] = count;
    if (++this.size * 2 > this.pairUser.length) this.grow();
  }

  /** Calls fn for every pair with a positive count (in table order). */
  forEachPair(fn: (u: number, e: number, count: number) => void): void {
    const pu = this.pairUser, pe = this.pairEvent, pc = this.pairCount;
    for (let s = 0; s < pu.length; s++) if (pu[s]! >= 0 && pc[s]! > 0) fn(pu[s]!, pe[s]!, pc[s]!);
  }

  /** Per event: how many distinct users did it. */
  usersPerEvent(): Int32Array {
    const n = new Int32Array(this.events.length);
    this.forEachPair((_, e) => n[e]!++);
    return n;
  }

  private grow(): void {
    const { pairUser: pu, pairEvent: pe, pairCount: pc } = this;
    const capacity = pu.length * 2;
    this.pairUser = new Int32Array(capacity).fill(-1);
    this.pairEvent = new Int32Array(capacity);
    this.pairCount = new Float64Array(capacity);
    this.mask = capacity - 1;
    for (let s = 0; s < pu.length; s++) {
      if (pu[s]! < 0) continue;
      let slot = hash(pu[s]!, pe[s]!) & this.mask;
      while (this.pairUser[slot]! !== -1) slot = (slot + 1) & this.mask;
      this.pairUser[slot] = pu[s]!;
      this.pairEvent[slot] = pe[s]!;
      this.pairCount[slot] = pc[s]!;
    }
  }
}

function hash(u: number, e: number): number {
  let h = Math.imul(u, 0x9e3779b1) ^ Math.imul(e + 1, 0x85ebca77);
  h ^= h >>> 15;
  return Math.imul(h, 0x2c1b3c6d) >>> 0;
}
