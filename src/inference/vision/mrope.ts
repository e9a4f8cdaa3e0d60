/**
 * Multimodal rotary positions (M-RoPE) of one prompt, as transformers' Qwen2-VL `get_rope_index`
 * computes them (Qwen2.5-VL, Qwen3-VL and Qwen3.5 inherit it): text tokens advance all three rows
 * together; the visual tokens of one image (or video frame) take their temporal, height and width
 * index on top of the position where the image starts; the text after it continues from the
 * largest position so far plus one.
 */

export interface PromptPositions {
  /** [3, length], row-major: temporal, height and width position of each prompt token. */
  rows: Int32Array;
  /**
   * Largest position + 1 - prompt length: decode step k (0-based) of this prompt is fed position
   * length + k + delta on all three rows.
   */
  delta: number;
}

/** One visual item's patch grid before merging: [t, h, w] (image_grid_thw). */
export type Grid = readonly [number, number, number];

/**
 * `visual` says which ids are visual tokens (image or video pads); `grids` are the items in prompt
 * order, each taking t × (h / merge) × (w / merge) consecutive visual tokens.
 */
export function promptPositions(
  ids: readonly number[],
  visual: (id: number) => boolean,
  grids: readonly Grid[],
  mergeSize: number,
): PromptPositions {
  const n = ids.length;
  const rows = new Int32Array(3 * n);
  let next = 0;
  let item = 0;
  let i = 0;
  while (i < n) {
    const grid = grids[item];
    if (!visual(ids[i] as number) || grid === undefined) {
      rows[i] = rows[n + i] = rows[2 * n + i] = next++;
      i++;
      continue;
    }
    const [t, gh, gw] = grid;
    const h = Math.floor(gh / mergeSize);
    const w = Math.floor(gw / mergeSize);
    const count = t * h * w;
    if (i + count > n) throw new RangeError('The prompt has fewer visual tokens than its images need.');
    for (let k = 0; k < count; k++) {
      rows[i + k] = next + Math.floor(k / (h * w));
      rows[n + i + k] = next + (Math.floor(k / w) % h);
      rows[2 * n + i + k] = next + (k % w);
    }
    next += Math.max(t, h, w);
    i += count;
    item++;
  }
  if (item !== grids.length) throw new RangeError('The prompt has fewer visual tokens than its images need.');
  return { rows, delta: next - n };
}
