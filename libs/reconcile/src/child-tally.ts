/**
 * What a parent knows of its children, one word each ("pending", "ready", …), kept by desired
 * position: counts per word and the first position holding a word, so a parent's status costs
 * the same whether it has 10 children or 5,000 — and, kept across reconciles by
 * syncOwnedChildren, changes by one child per child that changed, not by a walk of all of them.
 */
export class ChildTally<S extends string = string> {
  private readonly words: (S | undefined)[];
  private readonly counts = new Map<S, number>();
  /**
   * Per word, a position with no earlier position holding it (a lower bound of its first
   * position). Moved forward lazily when asked, back at once when an earlier child takes the
   * word: amortized constant while children move one way (pending → reported), as they do.
   */
  private readonly firsts = new Map<S, number>();

  constructor(readonly size: number) {
    this.words = new Array<S | undefined>(size);
  }

  /** Records child `position`'s word (undefined: not known yet). */
  set(position: number, word: S | undefined): void {
    const before = this.words[position];
    if (before === word) return;
    if (before !== undefined) this.counts.set(before, this.counts.get(before)! - 1);
    this.words[position] = word;
    if (word === undefined) return;
    this.counts.set(word, (this.counts.get(word) ?? 0) + 1);
    const first = this.firsts.get(word);
    if (first === undefined || position < first) this.firsts.set(word, position);
  }

  get(position: number): S | undefined {
    return this.words[position];
  }

  /** How many children hold `word`. */
  count(word: S): number {
    return this.counts.get(word) ?? 0;
  }

  /** The first desired position whose child holds `word`, or undefined when none does. */
  firstIndex(word: S): number | undefined {
    if (this.count(word) === 0) return undefined;
    let i = this.firsts.get(word) ?? 0;
    while (this.words[i] !== word) i++;
    this.firsts.set(word, i);
    return i;
  }
}
