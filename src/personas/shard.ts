// Sharding users for assignment: each user id belongs to exactly one of n shards, by a fixed hash of
// the id, so n independent `assign --shard i/n` runs (on any machines, over the same input) together
// assign every user exactly once, as one run would (a user's assignment depends on nobody else).

/** The shard (0-based) of a user id among `shards`: FNV-1a of its UTF-16 code units. */
export function shardOf(userId: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    h ^= userId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % shards;
}

export interface ShardSpec {
  /** 1-based, as written on the command line. */
  readonly index: number;
  readonly count: number;
}
