/** A video position as m:ss or h:mm:ss. */
export function formatTimestamp(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** "0:04" for one sighting, "0:04–0:12" for a span. */
export function formatSpan(firstMs: number, lastMs: number): string {
  const first = formatTimestamp(firstMs);
  const last = formatTimestamp(lastMs);
  return first === last ? first : `${first}–${last}`;
}
