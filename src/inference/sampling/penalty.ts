/** Token ids from an array, a typed array or any iterable. */
export function eachId(ids: ArrayLike<number> | Iterable<number>, visit: (id: number) => void): void {
  if (Symbol.iterator in Object(ids)) {
    for (const id of ids as Iterable<number>) visit(id);
    return;
  }
  const list = ids as ArrayLike<number>;
  for (let i = 0; i < list.length; i++) visit(list[i] as number);
}

/**
 * A copy of `logits` with the Hugging Face repetition penalty applied once to each distinct id in
 * `previousIds`: a positive logit is divided by `penalty`, a negative one multiplied. Ids outside the
 * row are ignored. Returns `logits` itself (no copy) when there is nothing to change.
 */
export function penalize(
  logits: Float32Array,
  penalty: number,
  previousIds: ArrayLike<number> | Iterable<number>,
): Float32Array {
  if (penalty === 1) return logits;
  let row: Float32Array | undefined;
  const seen = new Set<number>();
  eachId(previousIds, (id) => {
    if (!Number.isInteger(id) || id < 0 || id >= logits.length || seen.has(id)) return;
    seen.add(id);
    row ??= logits.slice();
    const value = logits[id] as number;
    row[id] = value > 0 ? value / penalty : value * penalty;
  });
  return row ?? logits;
}
