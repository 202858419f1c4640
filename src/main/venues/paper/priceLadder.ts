/**
 * Price-time priority for the orders a venue holds: a sorted array of price
 * levels (best level at the end, so the common case — activity near the
 * touch — splices near the end) and, per level, an intrusive doubly linked
 * FIFO queue. Adding and removing an order are O(log levels) plus O(1);
 * nothing is allocated per order beyond the order itself.
 *
 * One class serves both books and stop queues: `lowerIsBetter` is true for
 * asks and buy stops (the lowest price acts first), false for bids and sell
 * stops.
 */

export interface LadderNode<T> {
  prev: T | null;
  next: T | null;
  level: LadderLevel<T> | null;
}

export class LadderLevel<T> {
  head: T | null = null;
  tail: T | null = null;
  size = 0;

  constructor(
    readonly price: number,
    /** Sort key: larger is better. */
    readonly key: number,
    /** The ladder holding this level (identity only). */
    readonly owner: object,
  ) {}
}

export class PriceLadder<T extends LadderNode<T>> {
  /** Keys ascending: the best level is last. */
  private readonly keys: number[] = [];
  private readonly levels = new Map<number, LadderLevel<T>>();
  private orders = 0;

  constructor(private readonly lowerIsBetter: boolean) {}

  get size(): number {
    return this.orders;
  }

  get levelCount(): number {
    return this.keys.length;
  }

  /** Appends `node` to the queue at `price` (last in time priority). */
  add(node: T, price: number): void {
    if (node.level) throw new Error('Order is already on a ladder');
    const key = this.lowerIsBetter ? -price : price;
    let level = this.levels.get(key);
    if (!level) {
      level = new LadderLevel<T>(price, key, this);
      this.levels.set(key, level);
      this.keys.splice(this.searchKey(key), 0, key);
    }
    node.level = level;
    node.prev = level.tail;
    node.next = null;
    if (level.tail) level.tail.next = node;
    else level.head = node;
    level.tail = node;
    level.size++;
    this.orders++;
  }

  /** Unlinks `node`; drops its level when it empties. */
  remove(node: T): void {
    const level = node.level;
    if (!level || level.owner !== this) throw new Error('Order is not on this ladder');
    if (node.prev) node.prev.next = node.next;
    else level.head = node.next;
    if (node.next) node.next.prev = node.prev;
    else level.tail = node.prev;
    node.prev = null;
    node.next = null;
    node.level = null;
    level.size--;
    this.orders--;
    if (level.size === 0) {
      this.levels.delete(level.key);
      const index = this.searchKey(level.key);
      if (this.keys[index] === level.key) this.keys.splice(index, 1);
    }
  }

  /** The level ranked `rank` from the best (0 = best), or undefined. */
  levelAt(rank: number): LadderLevel<T> | undefined {
    const key = this.keys[this.keys.length - 1 - rank];
    return key === undefined ? undefined : this.levels.get(key);
  }

  bestPrice(): number {
    const key = this.keys[this.keys.length - 1];
    return key === undefined ? Number.NaN : this.lowerIsBetter ? -key : key;
  }

  /** True when `price` is at least as good as `than` on this ladder's side. */
  atLeastAsGood(price: number, than: number): boolean {
    return this.lowerIsBetter ? price <= than : price >= than;
  }

  /** Index of the first key ≥ `key`. */
  private searchKey(key: number): number {
    const keys = this.keys;
    let lo = 0;
    let hi = keys.length;
    // Fast path: new activity usually lands at or next to the best level.
    if (hi > 0 && keys[hi - 1]! < key) return hi;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
