const UNITS = ['kB', 'MB', 'GB', 'TB'];

/** A byte count for people, in decimal units as the hub shows them: 512 B, 1.5 kB, 494.0 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  let value = bytes;
  let unit = 'B';
  for (const next of UNITS) {
    if (value < 1000) break;
    value /= 1000;
    unit = next;
  }
  return `${value.toFixed(1)} ${unit}`;
}
