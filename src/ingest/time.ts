// Timestamps: ISO 8601 (with or without a zone; a space may replace the T, as Amplitude writes
// event_time; no zone means UTC) or epoch numbers (seconds, or milliseconds when ≥ 10¹¹). Parsed by
// hand, not Date.parse, whose handling of non-ISO strings differs between engines.

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Milliseconds since the epoch, or undefined when the text is not a timestamp. */
export function parseTime(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) ? epochToMs(text) : undefined;
  const t = text.trim();
  if (t === '') return undefined;
  if (/^-?\d+(\.\d+)?$/.test(t)) return epochToMs(Number(t));
  const m = ISO.exec(t);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
  if (month! < 1 || month! > 12 || day! < 1 || day! > 31 || hour! > 23 || minute! > 59 || second! > 60) return undefined;
  const fraction = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  let ms = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!) + fraction;
  const zone = m[8];
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0)) * 60_000;
  }
  return ms;
}

function epochToMs(n: number): number {
  return Math.abs(n) >= 1e11 ? n : n * 1000;
}

export function formatTime(ms: number): string {
  return new Date(ms).toISOString();
}
