/**
 * Sampling over a whole row (no top-k) without sorting it and without storing a weight per token.
 * Each token's scaled logit x = (logit - max) / T <= 0 falls in a histogram bucket 1/64 nat wide;
 * one pass sums the weights exp(x) per bucket. Top-p and min-p become a cut on x (the kept tokens
 * are those with x >= the cut), found by sorting one bucket only; the draw picks a bucket from the
 * histogram, then a token inside it.
 *
 * The histogram pass also notes the (usually few) tokens with x >= -10, and every token's bucket in a
 * scratch array; the later passes scan only the noted tokens when what they look for lies above -10,
 * else the bucket array (computing x only for the tokens in the bucket they look for).
 *
 * Tokens with x < -24 (probability under e^-24 ≈ 4e-11 of the most likely token's) are left out:
 * all of them together weigh under 1e-5 of the total.
 */

const PER_NAT = 64;
const FLOOR = -24;
const BUCKETS = -FLOOR * PER_NAT;
/** Tokens at or above this x are listed for the later passes, up to NOTED_MAX of them. */
const NOTED_FROM = -10;
const NOTED_MAX = 8192;
/** exp at each bucket's upper edge. */
const EDGE = new Float64Array(BUCKETS).map((_, b) => Math.exp(-b / PER_NAT));

/** The histogram bucket of a scaled logit in [FLOOR, 0]. */
function bucketOf(x: number): number {
  const scaled = -x * PER_NAT;
  return scaled < BUCKETS - 1 ? scaled | 0 : BUCKETS - 1;
}

/**
 * exp(x) for x in bucket b: the bucket edge's exp from a table times exp(r), r = x - edge in
 * (-1/64, 0], as 1 + r + r²/2 (relative error under 1e-6); several times cheaper than Math.exp.
 */
function weight(x: number, b: number): number {
  const r = x + b * (1 / PER_NAT);
  return (EDGE[b] as number) * (1 + r * (1 + r * 0.5));
}

interface Row {
  row: Float32Array;
  max: number;
  invT: number;
}

interface Histogram {
  mass: Float64Array;
  total: number;
  /** Indices of the tokens with x >= NOTED_FROM, in order (more than NOTED_MAX: incomplete). */
  noted: number[];
  /** Each token's bucket (NO_BUCKET: below the histogram's floor); valid until the next call. */
  buckets: Uint16Array;
}

const NO_BUCKET = 0xffff;
/** Reused between calls (sampling is synchronous): a 150k-token row needs 300 KB. */
let scratch = new Uint16Array(0);

function histogram({ row, max, invT }: Row, from: number): Histogram {
  const mass = new Float64Array(BUCKETS);
  const noted: number[] = [];
  if (scratch.length < row.length) scratch = new Uint16Array(row.length);
  const buckets = scratch;
  // Neighbours often share a bucket: summing a run in a local first avoids waiting on mass[b].
  let runBucket = 0;
  let run = 0;
  for (let i = 0; i < row.length; i++) {
    const x = ((row[i] as number) - max) * invT;
    if (x < from) {
      buckets[i] = NO_BUCKET;
      continue;
    }
    const b = bucketOf(x);
    buckets[i] = b;
    const w = weight(x, b);
    if (b === runBucket) {
      run += w;
    } else {
      mass[runBucket] += run;
      runBucket = b;
      run = w;
    }
    if (x >= NOTED_FROM && noted.length <= NOTED_MAX) noted.push(i);
  }
  mass[runBucket] += run;
  let total = 0;
  for (const m of mass) total += m;
  return { mass, total, noted, buckets };
}

/** The noted tokens when they include all of bucket `b`; undefined when the whole row must be scanned. */
function notedCover({ noted }: Histogram, b: number): number[] | undefined {
  return -(b + 1) / PER_NAT >= NOTED_FROM && noted.length <= NOTED_MAX ? noted : undefined;
}

/** Calls `visit` with the index and x of each token in bucket `b`, in index order, until it returns true. */
function eachInBucket(
  { row, max, invT }: Row,
  hist: Histogram,
  b: number,
  visit: (i: number, x: number) => boolean,
): void {
  const list = notedCover(hist, b);
  if (list !== undefined) {
    for (const i of list) {
      if (hist.buckets[i] === b && visit(i, ((row[i] as number) - max) * invT)) return;
    }
    return;
  }
  const { buckets } = hist;
  for (let i = 0; i < row.length; i++) {
    if (buckets[i] === b && visit(i, ((row[i] as number) - max) * invT)) return;
  }
}

/** The scaled logits of the tokens in bucket `b`, largest first. */
function bucketValues(row: Row, hist: Histogram, b: number): Float64Array {
  const found: number[] = [];
  eachInBucket(row, hist, b, (_, x) => {
    found.push(x);
    return false;
  });
  return Float64Array.from(found).sort().reverse();
}

interface Cut {
  /** Tokens with x >= this are kept. */
  x: number;
  bucket: number;
  /** The mass in the cut's bucket at or above the cut. */
  bucketMass: number;
}

/** The min-p cut (`from`), or the nucleus's when `topP` < 1 and that one is higher. */
function findCut(row: Row, hist: Histogram, topP: number, from: number): Cut {
  const { mass, total } = hist;
  let cut = { x: from, bucket: bucketOf(from) };
  let values: Float64Array | undefined;
  if (topP < 1) {
    const target = topP * total;
    let sum = 0;
    let b = 0;
    while (b < BUCKETS - 1 && sum + (mass[b] as number) < target) sum += mass[b++] as number;
    if (b <= cut.bucket) {
      values = bucketValues(row, hist, b);
      // The most likely tokens of this bucket until the nucleus holds topP of the mass.
      let j = 0;
      for (; j < values.length - 1; j++) {
        sum += weight(values[j] as number, b);
        if (sum >= target) break;
      }
      const x = values[j] ?? from;
      if (x > from) cut = { x, bucket: b };
      else values = undefined;
    }
  }
  values ??= bucketValues(row, hist, cut.bucket);
  let bucketMass = 0;
  // Ties at the edge are all in.
  for (const x of values) if (x >= cut.x) bucketMass += weight(x, cut.bucket);
  return { ...cut, bucketMass };
}

/**
 * Draws a token index from softmax(row / T) restricted by top-p and min-p, with `u` in [0, 1).
 * `max` is the row's largest logit (finite).
 */
export function drawFromRow(
  row: Float32Array,
  max: number,
  invT: number,
  topP: number,
  minP: number,
  u: number,
): number {
  const scan = { row, max, invT };
  const minPCut = minP > 0 ? Math.max(Math.log(minP), FLOOR) : FLOOR;
  // Top-p needs the mass of every token; min-p alone can skip those it drops.
  const hist = histogram(scan, topP < 1 ? FLOOR : minPCut);
  const cut: Cut =
    topP < 1 || minPCut > FLOOR
      ? findCut(scan, hist, topP, minPCut)
      : { x: FLOOR, bucket: BUCKETS - 1, bucketMass: hist.mass[BUCKETS - 1] as number };

  const massOf = (b: number) => (b < cut.bucket ? (hist.mass[b] as number) : cut.bucketMass);
  let kept = 0;
  for (let b = 0; b <= cut.bucket; b++) kept += massOf(b);
  // Pick a bucket, then a token in it (in index order).
  let target = u * kept;
  let chosen = -1;
  for (let b = 0; b <= cut.bucket; b++) {
    const m = massOf(b);
    if (m === 0) continue;
    chosen = b;
    if (target < m) break;
    // Only rounding gets past the last bucket: the walk then ends on its last token.
    target -= m;
  }
  let picked = -1;
  eachInBucket(scan, hist, chosen, (i, x) => {
    if (x < cut.x) return false;
    picked = i;
    target -= weight(x, chosen);
    return target < 0;
  });
  return picked;
}
