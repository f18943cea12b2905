// Progress on stderr, only when stderr is a terminal: a bar that redraws itself on one line.

import type { Io } from './io.js';

export interface Progress {
  /** Shows `label` at done/total (total 0: a count with no bar). */
  update(label: string, done: number, total?: number): void;
  /** Clears the line. */
  done(): void;
}

export function progress(io: Io, enabled: boolean): Progress {
  if (!enabled || !io.stderrIsTTY) return { update() {}, done() {} };
  let last = 0, shown = false;
  return {
    update(label, done, total = 0) {
      const now = Date.now();
      if (now - last < 100 && done !== total) return; // at most ten redraws a second
      last = now;
      shown = true;
      const bar = total > 0 ? `[${'█'.repeat(Math.round((20 * done) / total)).padEnd(20, '·')}] ${Math.round((100 * done) / total)}% ` : '';
      io.stderr(`\r\x1b[2K${bar}${label} ${done.toLocaleString('en-US')}${total > 0 ? `/${total.toLocaleString('en-US')}` : ''}`);
    },
    done() {
      if (shown) io.stderr('\r\x1b[2K');
      shown = false;
    },
  };
}
