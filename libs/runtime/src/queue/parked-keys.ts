/**
 * Keys parked until a time (WorkQueue.addAfter), earliest first. A binary heap: parking a key
 * and finding the earliest cost O(log n), where a scan of every parked key per addAfter made a
 * burst of n requeues (a Fermat's 5,000 Tuples each held for their first pending status) cost
 * O(n²). A key parked again earlier leaves its old entry behind; stale entries are skipped
 * when they reach the top.
 */
export class ParkedKeys {
  private readonly until = new Map<string, number>();
  private heap: { at: number; key: string; seq: number }[] = [];
  private seq = 0;

  get size(): number {
    return this.until.size;
  }

  /** When the key is parked until, if it is. */
  get(key: string): number | undefined {
    return this.until.get(key);
  }

  /** Parks `key` until `at` (a key already parked keeps the earlier time). */
  park(key: string, at: number): void {
    const existing = this.until.get(key);
    if (existing !== undefined && existing <= at) return;
    this.until.set(key, at);
    this.heap.push({ at, key, seq: this.seq++ });
    this.up(this.heap.length - 1);
  }

  /** The earliest time a key is parked until. */
  earliest(): number | undefined {
    this.dropStale();
    return this.heap[0]?.at;
  }

  /** Unparks and returns the keys due by `now`, earliest first (ties in the order parked). */
  takeDue(now: number): string[] {
    const due: string[] = [];
    for (;;) {
      this.dropStale();
      const top = this.heap[0];
      if (top === undefined || top.at > now) return due;
      this.pop();
      this.until.delete(top.key);
      due.push(top.key);
    }
  }

  clear(): void {
    this.until.clear();
    this.heap = [];
  }

  private dropStale(): void {
    while (this.heap.length > 0 && this.until.get(this.heap[0]!.key) !== this.heap[0]!.at) this.pop();
  }

  private pop(): void {
    const last = this.heap.pop()!;
    if (this.heap.length === 0) return;
    this.heap[0] = last;
    this.down(0);
  }

  private before(i: number, j: number): boolean {
    const a = this.heap[i]!;
    const b = this.heap[j]!;
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private swap(i: number, j: number): void {
    const t = this.heap[i]!;
    this.heap[i] = this.heap[j]!;
    this.heap[j] = t;
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let least = i;
      if (l < this.heap.length && this.before(l, least)) least = l;
      if (r < this.heap.length && this.before(r, least)) least = r;
      if (least === i) return;
      this.swap(i, least);
      i = least;
    }
  }
}
