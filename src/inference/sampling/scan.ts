/** Single passes over a row of logits; each throws a clear error on NaN. */

function nanError(index: number): Error {
  return new Error(
    `The model produced NaN logits (first at token ${index}): the model or its runtime is broken (numeric overflow in float16, say).`,
  );
}

/** The index of the largest logit (the first, on ties). */
export function argmax(row: Float32Array): number {
  let best = 0;
  let bestValue = row[0] as number;
  if (Number.isNaN(bestValue)) throw nanError(0);
  for (let i = 1; i < row.length; i++) {
    const v = row[i] as number;
    if (v > bestValue) {
      bestValue = v;
      best = i;
    } else if (Number.isNaN(v)) {
      throw nanError(i);
    }
  }
  return best;
}

export interface Candidates {
  ids: Int32Array;
  /** The candidates' logits, largest first. */
  values: Float64Array;
}

/**
 * The k largest logits, largest first, found with a min-heap of size k: one pass over the row
 * and O(log k) work only for the few values that beat the heap's smallest.
 */
export function topK(row: Float32Array, k: number): Candidates {
  const ids = new Int32Array(k);
  const values = new Float64Array(k);
  let size = 0;
  const siftDown = (start: number) => {
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= size) return;
      const right = left + 1;
      let child = left;
      if (right < size && (values[right] as number) < (values[left] as number)) child = right;
      if ((values[child] as number) >= (values[i] as number)) return;
      const v = values[i] as number;
      const id = ids[i] as number;
      values[i] = values[child] as number;
      ids[i] = ids[child] as number;
      values[child] = v;
      ids[child] = id;
      i = child;
    }
  };
  for (let i = 0; i < row.length; i++) {
    const v = row[i] as number;
    if (Number.isNaN(v)) throw nanError(i);
    if (size < k) {
      // Sift up.
      let at = size++;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if ((values[parent] as number) <= v) break;
        values[at] = values[parent] as number;
        ids[at] = ids[parent] as number;
        at = parent;
      }
      values[at] = v;
      ids[at] = i;
    } else if (v > (values[0] as number)) {
      values[0] = v;
      ids[0] = i;
      siftDown(0);
    }
  }
  // Heap sort in place: repeatedly move the smallest to the end, giving largest-first order.
  for (let end = size - 1; end > 0; end--) {
    const v = values[0] as number;
    const id = ids[0] as number;
    values[0] = values[end] as number;
    ids[0] = ids[end] as number;
    values[end] = v;
    ids[end] = id;
    size = end;
    siftDown(0);
  }
  return { ids, values };
}
