type KvData = Float32Array | Uint16Array;
type KvType = 'float32' | 'float16';

/**
 * Host buffers the batch cache's key/value tensors had, kept for its next rebuild. Every join,
 * compaction and growth writes the whole cache into new tensors; fresh ArrayBuffers of that size
 * (about 100 MB at 16 rows × 300 positions of the bench model) are page-faulted in on first
 * write, which on the development VM cost 10 to 40 times the copy itself. Reused buffers do not.
 *
 * A taken buffer has arbitrary contents (the caller writes every element). The pool holds at most
 * `maxBytes` (BatchKvCache sets it to twice its largest layout: the old and the new one, the peak a
 * rebuild reaches anyway), dropping its smallest buffers first.
 */
export class KvBufferPool {
  private free: KvData[] = [];
  private bytes = 0;
  /** The buffers this pool handed out (only those come back). */
  private readonly own = new WeakSet<ArrayBufferLike>();
  maxBytes = 0;

  /** `size` elements of `type`: a view over a pooled buffer (the smallest that fits) or a new one. */
  take(type: KvType, size: number): KvData {
    if (size === 0) return type === 'float16' ? new Uint16Array(0) : new Float32Array(0);
    let best = -1;
    for (const [i, data] of this.free.entries()) {
      if (kindOf(data) !== type || data.length < size) continue;
      if (best < 0 || data.length < (this.free[best] as KvData).length) best = i;
    }
    if (best < 0) {
      const data = type === 'float16' ? new Uint16Array(size) : new Float32Array(size);
      this.own.add(data.buffer);
      return data;
    }
    const [data] = this.free.splice(best, 1) as [KvData];
    this.bytes -= data.byteLength;
    return data.subarray(0, size);
  }

  /** Takes back a view `take` returned, once nothing reads it any more. */
  give(view: KvData): void {
    if (!this.own.has(view.buffer)) return;
    const data = kindOf(view) === 'float16' ? new Uint16Array(view.buffer) : new Float32Array(view.buffer);
    this.free.push(data);
    this.bytes += data.byteLength;
    this.free.sort((a, b) => b.byteLength - a.byteLength);
    while (this.bytes > this.maxBytes) {
      const dropped = this.free.pop() as KvData;
      this.bytes -= dropped.byteLength;
    }
  }

  /** Bytes held for reuse. */
  get heldBytes(): number {
    return this.bytes;
  }

  clear(): void {
    this.free = [];
    this.bytes = 0;
  }
}

function kindOf(data: KvData): KvType {
  return data instanceof Uint16Array ? 'float16' : 'float32';
}
