import { RequestCoalescer } from './request-coalescer';

describe('RequestCoalescer', () => {
  function harness(maxBatch = 3, maxInFlight = 1) {
    const batches: number[][] = [];
    const pending: (() => void)[] = [];
    const coalescer = new RequestCoalescer<number, number>(
      (items) =>
        new Promise((resolve) => {
          batches.push(items);
          pending.push(() => resolve(items.map((n) => (n < 0 ? { status: 'rejected', reason: new Error(`bad ${n}`) } : { status: 'fulfilled', value: n * 10 }))));
        }),
      { maxBatch, maxInFlight },
    );
    const answerNext = async () => {
      pending.shift()!();
      await new Promise((r) => setImmediate(r));
    };
    return { coalescer, batches, answerNext };
  }

  it('sends an idle call at once, alone', async () => {
    const { coalescer, batches, answerNext } = harness();
    const answer = coalescer.call(1);
    expect(batches).toEqual([[1]]);
    await answerNext();
    await expect(answer).resolves.toBe(10);
  });

  it('gathers calls made while a batch is out, up to the batch size, and answers each its own result', async () => {
    const { coalescer, batches, answerNext } = harness(3, 1);
    const answers = [1, 2, 3, 4, 5, 6].map((n) => coalescer.call(n));
    expect(batches).toEqual([[1]]);
    await answerNext();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    await answerNext();
    expect(batches).toEqual([[1], [2, 3, 4], [5, 6]]);
    await answerNext();
    await expect(Promise.all(answers)).resolves.toEqual([10, 20, 30, 40, 50, 60]);
  });

  it('keeps up to maxInFlight batches out', () => {
    const { coalescer, batches } = harness(3, 2);
    [1, 2, 3].forEach((n) => void coalescer.call(n));
    expect(batches).toEqual([[1], [2]]);
  });

  it('fails only the items that failed, and every item of a batch whose send failed', async () => {
    const { coalescer, answerNext } = harness();
    const ok = coalescer.call(1);
    await answerNext();
    const bad = expect(coalescer.call(-1)).rejects.toThrow('bad -1');
    const good = expect(coalescer.call(2)).resolves.toBe(20);
    await answerNext();
    await answerNext();
    await expect(ok).resolves.toBe(10);
    await bad;
    await good;

    const broken = new RequestCoalescer<number, number>(() => Promise.reject(new Error('no answer')), { maxBatch: 5, maxInFlight: 1 });
    await expect(Promise.all([broken.call(1), broken.call(2)])).rejects.toThrow('no answer');
    await expect(broken.call(3)).rejects.toThrow('no answer');
  });
});
