import { performance } from 'node:perf_hooks';

/** Closed loop: `concurrency` workers each doing `work` back to back for `seconds`. */
export async function closedLoop(concurrency: number, seconds: number, work: () => Promise<void>): Promise<{ done: number; perSec: number; latencies: number[] }> {
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await work();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { done: latencies.length, perSec: latencies.length / elapsed, latencies };
}

/**
 * Open loop at a fixed rate: starts `rate` operations a second on schedule, whether or not earlier
 * ones finished, and times each from when it was due (latency as a partner sending steadily sees it),
 * or from when it started if the timer let it start a little early.
 */
export async function openLoop(rate: number, seconds: number, work: (n: number) => Promise<void>): Promise<{ sent: number; latencies: number[]; errors: number }> {
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  let errors = 0;
  const total = rate * seconds;
  const started = performance.now();
  for (let n = 0; n < total; n++) {
    const due = started + (n * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const from = Math.min(due, performance.now());
    pending.push(
      work(n).then(
        () => void latencies.push(performance.now() - from),
        () => void errors++,
      ),
    );
  }
  await Promise.all(pending);
  return { sent: total, latencies, errors };
}
