// A string → number map for tens of millions of ids. One JS Map holds at most 2²⁴ entries (V8 throws
// past that), and a dictionary-mode object slows to a crawl past ~8M keys (measured: 8M fresh ids in
// 10 s, then no further million in 90 s); so ids fill Maps of 2²³ entries in turn. Below 8M ids this
// is one Map lookup.

const PER_MAP = 1 << 23;

export class IdMap {
  private readonly maps = [new Map<string, number>()];
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(id: string): number | undefined {
    const maps = this.maps;
    for (let i = 0; i < maps.length; i++) {
      const value = maps[i]!.get(id);
      if (value !== undefined) return value;
    }
    return undefined;
  }

  set(id: string, value: number): void {
    const maps = this.maps;
    for (let i = 0; i < maps.length - 1; i++) {
      if (maps[i]!.has(id)) {
        maps[i]!.set(id, value);
        return;
      }
    }
    const last = maps[maps.length - 1]!;
    if (last.has(id)) last.set(id, value);
    else this.add(id, value);
  }

  /** Adds an id known not to be in the map (one lookup fewer than set). */
  add(id: string, value: number): void {
    let last = this.maps[this.maps.length - 1]!;
    if (last.size >= PER_MAP) this.maps.push((last = new Map()));
    last.set(id, value);
    this.count++;
  }
}
