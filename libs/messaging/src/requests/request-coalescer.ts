/**
 * Coalesces concurrent calls into batches: a call goes out at once while fewer than `maxInFlight`
 * batches are out; calls made meanwhile wait and leave together, up to `maxBatch`, when one comes
 * back. Idle, a call costs what it would alone; under load, one round trip (and one statement on
 * the other side) serves many — what a saturated machine pays for per message.
 */
export class RequestCoalescer<I, O> {
  private readonly waiting: { item: I; resolve: (value: O) => void; reject: (error: unknown) => void }[] = [];
  private inFlight = 0;

  constructor(
    /** Sends one batch; answers one settled result per item, in order. */
    private readonly send: (items: I[]) => Promise<PromiseSettledResult<O>[]>,
    private readonly options: { maxBatch: number; maxInFlight: number },
  ) {}

  call(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.flush();
    });
  }

  private flush(): void {
    while (this.waiting.length && this.inFlight < this.options.maxInFlight) {
      const batch = this.waiting.splice(0, this.options.maxBatch);
      this.inFlight++;
      this.send(batch.map((b) => b.item)).then(
        (results) => {
          batch.forEach((b, i) => {
            const result = results[i];
            if (!result) b.reject(new Error(`No result for item ${i} of a batch of ${batch.length}`));
            else if (result.status === 'fulfilled') b.resolve(result.value);
            else b.reject(result.reason);
          });
        },
        (error: unknown) => batch.forEach((b) => b.reject(error)),
      ).finally(() => {
        this.inFlight--;
        this.flush();
      });
    }
  }
}
