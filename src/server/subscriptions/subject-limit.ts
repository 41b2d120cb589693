/**
 * Open subscriptions per token subject, across all its connections to this gateway: each
 * subscription holds a share of a listener's fan-out and of the recomputations, so one
 * subject cannot hold more than `max` (SUBSCRIPTIONS_PER_SUBJECT).
 */
export class SubjectLimit {
  private readonly open = new Map<string, number>();

  constructor(readonly max: number) {}

  /** Takes one place, synchronously (messages of one socket are handled concurrently); false when full. */
  take(subject: string): boolean {
    const n = this.open.get(subject) ?? 0;
    if (n >= this.max) return false;
    this.open.set(subject, n + 1);
    return true;
  }

  release(subject: string): void {
    const n = (this.open.get(subject) ?? 0) - 1;
    if (n > 0) this.open.set(subject, n);
    else this.open.delete(subject);
  }

  count(subject: string): number {
    return this.open.get(subject) ?? 0;
  }

  get total(): number {
    let sum = 0;
    for (const n of this.open.values()) sum += n;
    return sum;
  }
}
