// Letting the event loop run during long work: a worker must see a "cancel" message that arrives
// while it computes, and that only happens between tasks of its event loop.

/** Resolves after pending events (messages, timers) have had their turn. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** A function to await in a loop: yields when `intervalMs` have passed since the last yield. */
export function periodicYield(intervalMs = 50): () => Promise<void> | undefined {
  let last = performance.now();
  return () => {
    const now = performance.now();
    if (now - last < intervalMs) return undefined;
    last = now;
    return yieldToEventLoop().then(() => { last = performance.now(); });
  };
}
