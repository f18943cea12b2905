// Plain-text formatting for terminal reports.

/** Left-aligned text columns, right-aligned numeric ones (`align` per column: 'l' | 'r'). */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], align: string): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, c) => (align[c] === 'r' ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

export const percent = (x: number, digits = 1) => `${(100 * x).toFixed(digits)}%`;
export const count = (x: number) => x.toLocaleString('en-US');
