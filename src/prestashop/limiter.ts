// Bounded concurrency towards the shop: PrestaShop has no throttling of its own and shared hosts run
// few PHP workers, so 2-4 requests in flight is the safe range (WEBSERVICE.md §8).

export class Limiter {
  private active = 0;
  private readonly waiting: Array<{ go: () => void; stop: (err: unknown) => void }> = [];
  private stopped: (() => Error) | undefined;

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`concurrency must be a positive integer, got ${max}`);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.stopped) throw this.stopped();
    if (this.active >= this.max) {
      await new Promise<void>((go, stop) => this.waiting.push({ go, stop }));
    } else {
      this.active++;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // Hand the slot straight to the next waiter so `active` never dips and lets a newcomer jump the queue.
      if (next) next.go();
      else this.active--;
    }
  }

  /** Stop: requests not yet sent fail with `reason()` (now and from now on); those in flight finish. */
  abortQueued(reason: () => Error): void {
    this.stopped = reason;
    for (const w of this.waiting.splice(0)) w.stop(reason());
  }
}

/** Exponential back-off with jitter, capped: base · 2^attempt · [0.5, 1). */
export function backoffDelay(attempt: number, baseMs: number, capMs = 30_000): number {
  const exp = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.round(exp * (0.5 + Math.random() / 2));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
