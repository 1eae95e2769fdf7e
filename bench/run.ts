/**
 * `npm run bench [-- name …]`: runs bench/<name>.bench.ts (all of them when no name is given).
 * Each suite exports `run(): Promise<void>` and prints its figures; suites measure against a
 * baseline taken in the same process, because this machine is noisy.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

async function main(): Promise<void> {
  const available = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .map((f) => f.replace(/\.bench\.ts$/, ''))
    .sort();
  // Names come first; `--option value` pairs after them belong to the suites.
  const args = process.argv.slice(2);
  const firstOption = args.findIndex((a) => a.startsWith('--'));
  const wanted = firstOption < 0 ? args : args.slice(0, firstOption);
  const unknown = wanted.filter((w) => !available.includes(w));
  if (unknown.length) throw new Error(`Unknown benchmark(s): ${unknown.join(', ')}; available: ${available.join(', ')}`);
  for (const name of wanted.length ? wanted : available) {
    process.stdout.write(`\n## ${name}\n\n`);
    const suite = (await import(join(__dirname, `${name}.bench.ts`))) as { run: (args: string[]) => Promise<void> };
    await suite.run(process.argv.slice(2));
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
