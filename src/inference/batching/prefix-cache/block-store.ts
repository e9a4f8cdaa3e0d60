/**
 * The prefix cache's index: a tree of fixed-size token blocks (a radix tree at block granularity,
 * as vLLM's hash chain and SGLang's RadixAttention): a node is one block of BLOCK tokens under the
 * block before it, so a path from the root is a token prefix. Nodes hold the block's KV data and,
 * for hybrid graphs, optionally the per-layer states after its last token. A byte budget bounds
 * what is held; over it, least recently used leaves go first (a parent outlives its children).
 */

export type KvData = Float32Array | Uint16Array;

/** One block's host data: every KV past's positions of the block, and states at its end if kept. */
export interface BlockData {
  kv: Map<string, KvData>;
  states?: Map<string, KvData>;
}

export interface BlockNode {
  readonly key: string;
  readonly parent: BlockNode | undefined;
  /** Blocks from the root to this one (the root's children are depth 1). */
  readonly depth: number;
  readonly children: Map<string, BlockNode>;
  data: BlockData;
  lastUsed: number;
  /** Set once evicted: nothing may hang children on it any more. */
  evicted: boolean;
}

export interface StoreCounters {
  blocks: number;
  bytes: number;
  evictions: number;
}

function bytesOf(map: Map<string, KvData> | undefined): number {
  let n = 0;
  for (const data of map?.values() ?? []) n += data.byteLength;
  return n;
}

/** The key of a block of token ids (their decimal text: exact, and cheap for a few dozen ids). */
export function blockKey(ids: readonly number[], start: number, size: number): string {
  let key = '';
  for (let i = start; i < start + size; i++) key += `${ids[i]},`;
  return key;
}

export class BlockStore {
  private readonly root = new Map<string, BlockNode>();
  private readonly leaves = new Set<BlockNode>();
  private clock = 0;
  private bytes = 0;
  private blocks = 0;
  private evictions = 0;

  constructor(
    /** Tokens per block. */
    readonly blockTokens: number,
    /** Bytes of block data held at most. */
    readonly budget: number,
  ) {}

  counters(): StoreCounters {
    return { blocks: this.blocks, bytes: this.bytes, evictions: this.evictions };
  }

  /** The child of `parent` (undefined: the root) holding block `key`, if cached. */
  child(parent: BlockNode | undefined, key: string): BlockNode | undefined {
    return (parent?.children ?? this.root).get(key);
  }

  /** Marks nodes as just used (they and their ancestors are the last to be evicted). */
  touch(node: BlockNode): void {
    const now = ++this.clock;
    for (let n: BlockNode | undefined = node; n !== undefined; n = n.parent) n.lastUsed = now;
  }

  /**
   * The node of block `key` under `parent`: the cached one (touched) or a new one built from
   * `data()` (called only when new). Returns undefined when `parent` was evicted, or when the
   * new block does not fit the budget even after evicting every other leaf.
   */
  insert(parent: BlockNode | undefined, key: string, data: () => BlockData): BlockNode | undefined {
    if (parent?.evicted === true) return undefined;
    const siblings = parent?.children ?? this.root;
    const found = siblings.get(key);
    if (found !== undefined) {
      this.touch(found);
      return found;
    }
    const node: BlockNode = {
      key,
      parent,
      depth: (parent?.depth ?? 0) + 1,
      children: new Map(),
      data: data(),
      lastUsed: 0,
      evicted: false,
    };
    siblings.set(key, node);
    if (parent !== undefined) this.leaves.delete(parent);
    this.leaves.add(node);
    this.blocks++;
    this.bytes += bytesOf(node.data.kv) + bytesOf(node.data.states);
    this.touch(node);
    this.evictOver();
    return node.evicted ? undefined : node;
  }

  /** Keeps `states` as the states at the end of `node`'s block (replacing any held). */
  setStates(node: BlockNode, states: Map<string, KvData> | undefined): void {
    if (node.evicted) return;
    this.bytes += bytesOf(states) - bytesOf(node.data.states);
    node.data = { kv: node.data.kv, states };
    this.evictOver();
  }

  /** Evicts least recently used leaves until the budget holds. */
  private evictOver(): void {
    while (this.bytes > this.budget) {
      let oldest: BlockNode | undefined;
      for (const leaf of this.leaves)
        if (oldest === undefined || leaf.lastUsed < oldest.lastUsed) oldest = leaf;
      if (oldest === undefined) return;
      this.evict(oldest);
    }
  }

  private evict(node: BlockNode): void {
    (node.parent?.children ?? this.root).delete(node.key);
    this.leaves.delete(node);
    node.evicted = true;
    this.blocks--;
    this.evictions++;
    this.bytes -= bytesOf(node.data.kv) + bytesOf(node.data.states);
    node.data = { kv: new Map() };
    const parent = node.parent;
    if (parent !== undefined && parent.children.size === 0) this.leaves.add(parent);
  }

  /** Drops every block. */
  clear(): void {
    for (const leaf of [...this.leaves]) {
      for (let n: BlockNode | undefined = leaf; n !== undefined && n.children.size === 0; n = n.parent) {
        if (!n.evicted) this.evict(n);
      }
    }
  }
}
