import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '@nwd/testing';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../../..');
const FIXTURES = resolve(ROOT, '../shared/fixtures/hsds');

/** The directory's command-line tools, run as an operator would, against a database of their own. */
describe('directory CLIs', () => {
  let database: TestDatabase;
  const env = () => ({ ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'warn' });
  const npm = (args: string[]) => run('npm', ['run', '--silent', ...args], { cwd: ROOT, env: env(), maxBuffer: 64 * 1024 * 1024 });
  const count = async (table: string) => {
    const db = new Client({ connectionString: database.url });
    await db.connect();
    try {
      return (await db.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;
    } finally {
      await db.end();
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase('directory');
  });
  afterAll(() => database?.drop());

  it('imports the San Mateo package, exports it, and refuses a broken file with exit code 1 and nothing changed', async () => {
    const imported = await npm(['directory:import', '--', join(FIXTURES, 'smc-ohana-2014/hsds3-tabular')]);
    const report = JSON.parse(imported.stdout);
    expect(report.applied).toBe(true);
    expect(report.problems).toEqual([]);
    expect(await count('hsds_service')).toBe(1689);

    const folder = await mkdtemp(join(tmpdir(), 'nwd-export-'));
    try {
      await npm(['directory:export', '--', folder]);
      const files = await readdir(folder);
      expect(files).toEqual(expect.arrayContaining(['datapackage.json', 'services.csv', 'organizations.csv', 'locations.csv']));
    } finally {
      await rm(folder, { recursive: true, force: true });
    }

    const refused = await npm(['directory:import', '--', join(FIXTURES, 'hsds-3.0-spec-examples/csv')]).catch((error) => error);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).problems.length).toBeGreaterThan(0);
    expect(await count('hsds_service')).toBe(1689);
  });

  it('names a missing argument', async () => {
    const missing = await npm(['directory:export']).catch((error) => error);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('usage: directory:export');
  });
});
