import { HsdsPackage } from './hsds-package';
import { ahead, ImportRun } from './import-run';

const written = (inserted: number, updated: number, unchanged: number, created: string[] = []) => ({ counts: { inserted, updated, unchanged }, created });

describe('ImportRun', () => {
  it('records a table when it is written, with the progress so far', async () => {
    const progress: [number, number][] = [];
    const run = new ImportRun(new HsdsPackage(), { onProgress: (done, total) => progress.push([done, total]) });
    run.write('organization', 2, Promise.resolve(written(2, 0, 0, ['a', 'b'])));
    await run.tableWritten();
    run.write('service', 3, Promise.resolve(written(1, 1, 1, ['c'])));
    await run.tableWritten();
    expect(run.report.counts).toEqual({ organization: { inserted: 2, updated: 0, unchanged: 0 }, service: { inserted: 1, updated: 1, unchanged: 1 } });
    expect(run.created).toEqual(new Map([['organization', new Set(['a', 'b'])], ['service', new Set(['c'])]]));
    expect(progress.map(([done]) => done)).toEqual([2, 5]);
  });

  it('throws a failed write where it is awaited, and stops writing either way', async () => {
    const run = new ImportRun(new HsdsPackage(), {});
    run.write('service', 1, Promise.reject(new Error('copy failed')));
    await run.writingStopped();
    await expect(run.tableWritten()).rejects.toThrow('copy failed');
  });

  it('starts over without lookups and with nothing learned, but keeps what it counted beside the import', async () => {
    const run = new ImportRun(new HsdsPackage(), {});
    run.write('service', 1, Promise.resolve(written(1, 0, 0, ['a'])));
    await run.tableWritten();
    run.vacated = ['somewhere'];
    const count = jest.fn(async () => ({ total: 5, sample: ['x'] }));
    run.countBeside('service', count);
    run.startOver();
    run.countBeside('service', count);
    expect(count).toHaveBeenCalledTimes(1);
    expect(run.lookUp).toBe(false);
    expect(run.report.counts).toEqual({});
    expect(run.created.size).toBe(0);
    expect(run.vacated).toEqual([]);
  });

  it('reports as absent the rows beside the import before it, less those it updated or left unchanged', async () => {
    const run = new ImportRun(new HsdsPackage(), {});
    run.countBeside('service', async () => ({ total: 10, sample: ['x', 'y'] }));
    run.countBeside('location', async () => ({ total: 2, sample: [] }));
    run.write('service', 6, Promise.resolve(written(2, 3, 1)));
    await run.tableWritten();
    run.write('location', 2, Promise.resolve(written(0, 2, 0)));
    await run.tableWritten();
    await run.counted();
    expect(await run.absentAfterCommit()).toEqual({ service: { count: 6, sample: ['x', 'y'] } });
  });
});

describe('ahead', () => {
  it('leaves a failure to whoever awaits it, not to the unhandled-rejection handler', async () => {
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    const failing = ahead(Promise.reject(new Error('later')));
    await new Promise(setImmediate);
    process.off('unhandledRejection', unhandled);
    expect(unhandled).not.toHaveBeenCalled();
    await expect(failing).rejects.toThrow('later');
  });
});
