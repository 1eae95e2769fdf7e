/**
 * Referrers' search at directory sizes the network expects, and the import rate that gets it there.
 *
 *   npm run bench -- directory-search [--sizes 10000,100000,500000] [--queries 300] [--batch 20000] [--keep-database]
 *
 * `--keep-database` leaves the loaded database behind (its name is printed) for EXPLAIN ANALYZE.
 *
 * The San Mateo County package (1,689 services, 1,709 locations, real text, taxonomy and hours) is
 * copied with fresh ids and moved, copy by copy, onto other US ZIP code centroids (the `zipcodes`
 * dataset): a nationwide directory with San Mateo's local density. The taxonomy is shared, as in a
 * real network. Every copy goes through the real import path (CSV parse + HSDS validation + foreign
 * keys + one-transaction upsert + search rows). At each size, text + need + 10 km radius is measured
 * through HTTP with auth beside the search service called in-process (the same SQL, no HTTP, auth,
 * validation or serialization) in the same run.
 */
import 'reflect-metadata';
import { readdir, readFile } from 'node:fs/promises';
import { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import * as zipcodes from 'zipcodes';
import { buildConfig } from '@nwd/config';
import { createHttpApp } from '@nwd/http';
import { Outbox } from '@nwd/messaging';
import { ensureDatabase } from '@nwd/persistence';
import type { Principal } from '@nwd/auth';
import { DirectoryAppModule } from '../apps/directory/src/directory-app.module';
import { DirectoryConfig } from '../apps/directory/src/directory.config';
import { copyRows } from '../apps/directory/src/import-export/copy-rows';
import { DirectoryImporter } from '../apps/directory/src/import-export/directory-importer';
import { forEachCsvRecord } from '../apps/directory/src/import-export/csv';
import { TabularPackage } from '../apps/directory/src/import-export/tabular-package';
import { HsdsValidator } from '../apps/directory/src/import-export/hsds-validator';
import { HSDS_TABLES } from '../apps/directory/src/hsds/hsds-tables';
import { ListingIndex } from '../apps/directory/src/hsds/listing-index';
import { DirectorySearchService } from '../apps/directory/src/search/directory-search.service';
import { SearchQueryDto } from '../apps/directory/src/search/dto/search-query.dto';
import { databaseUrl, deleteTestStreams, dropDatabases } from './support/harness';
import { expectStatus, jsonClient } from './support/http-client';
import { fmt, option, percentile } from './support/stats';

const SMC = resolve(__dirname, '../../shared/fixtures/hsds/smc-ohana-2014/hsds3-tabular');
/** The San Mateo data's middle: each copy is moved by the offset from here to its ZIP centroid. */
const SMC_CENTER = { lat: 37.52, lon: -122.29 };
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const SHARED_FILES = new Set(['taxonomies.csv', 'taxonomy_terms.csv']);
/** What referrers type, with the need they pick beside it. */
const QUERIES: { q: string; need: string }[] = [
  { q: 'food', need: 'food-insecurity' },
  { q: 'legal aid', need: 'financial-insecurity' },
  { q: 'shelter', need: 'housing-instability' },
  { q: 'counseling', need: 'stress' },
  { q: 'employment', need: 'employment-status' },
  { q: 'health insurance', need: 'health-insurance-coverage-status' },
];

/** ZIP centroids in the contiguous US, spread over the list so copies land in different places. */
function placements(count: number): { lat: number; lon: number }[] {
  const all = Object.values(zipcodes.codes).filter((z) => z.latitude > 25 && z.latitude < 49 && z.longitude > -124 && z.longitude < -67);
  all.sort((a, b) => a.zip.localeCompare(b.zip));
  const step = Math.max(1, Math.floor(all.length / count));
  return Array.from({ length: count }, (_, i) => all[(i * step) % all.length]).map((z) => ({ lat: z.latitude, lon: z.longitude }));
}

/** RFC 4180 field, quoted when it must be. */
const csvField = (value: string) => (/[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** locations.csv with every location moved by the offset from San Mateo's middle to `place`. */
function movedLocations(text: string, place: { lat: number; lon: number }): string {
  const lines: string[] = [];
  let columns: number[] = [];
  forEachCsvRecord(text, (cells) => {
    if (!lines.length) {
      columns = [cells.indexOf('latitude'), cells.indexOf('longitude')];
    } else {
      for (const [column, delta] of [[columns[0], place.lat - SMC_CENTER.lat], [columns[1], place.lon - SMC_CENTER.lon]]) {
        if (cells[column] !== '') cells[column] = String(Math.round((Number(cells[column]) + delta) * 1e7) / 1e7);
      }
    }
    lines.push(cells.map(csvField).join(','));
  });
  return `${lines.join('\n')}\n`;
}

/** The San Mateo CSVs as copy `k`: new ids (taxonomy kept), same text, its locations moved onto `place`. */
function copyFiles(source: Map<string, string>, sharedIds: Set<string>, k: number, place: { lat: number; lon: number }): Map<string, string> {
  const files = new Map<string, string>();
  const prefix = (0x10000000 + k).toString(16).slice(-8);
  for (const [name, original] of source) {
    if (SHARED_FILES.has(name) && k > 0) continue;
    const text = name === 'locations.csv' ? movedLocations(original, place) : original;
    files.set(name, k === 0 ? text : text.replace(UUID, (id) => (sharedIds.has(id) ? id : prefix + id.slice(8))));
  }
  return files;
}

export async function run(args: string[]): Promise<void> {
  const sizesAt = args.indexOf('--sizes');
  const sizes = (sizesAt >= 0 ? args[sizesAt + 1] : '10000,100000,500000').split(',').map(Number);
  const queries = option(args, 'queries', 300);
  const batchServices = option(args, 'batch', 20000);
  const keepDatabase = args.includes('--keep-database');
  const id = randomBytes(4).toString('hex');
  const prefix = `bench${id}`;
  const database = `nwd_bench_${id}_directory`;
  const adminSecret = randomBytes(24).toString('hex');
  const { call, token: tokenAt, member, close } = jsonClient(8);
  let directory: NestFastifyApplication | undefined;
  try {
    await ensureDatabase(databaseUrl(database));
    const config = buildConfig(DirectoryConfig, {
      DATABASE_URL: databaseUrl(database),
      NWD_NATS_PREFIX: prefix,
      NWD_ADMIN_CLIENT_ID: 'bench-admin',
      NWD_ADMIN_CLIENT_SECRET: adminSecret,
      NWD_RATE_LIMIT_PER_MINUTE: 100_000_000,
      NWD_STALE_SWEEP_INTERVAL_SECONDS: 0,
      NWD_DIRECTORY_TIME_ZONE: 'America/Los_Angeles',
      LOG_LEVEL: 'warn',
      PORT: 0,
    });
    directory = await createHttpApp(DirectoryAppModule.forRoot(config), config, { title: 'directory', description: 'bench' });
    await directory.listen({ port: 0, host: '127.0.0.1' });
    const port = (directory.getHttpServer().address() as AddressInfo).port;
    const dataSource = directory.get(DataSource);
    const searchService = directory.get(DirectorySearchService);

    const token = (clientId: string, secret: string) => tokenAt(port, clientId, secret);
    const adminToken = await token('bench-admin', adminSecret);
    const clinic = await member(port, adminToken, { name: `Bench clinic ${id}`, kind: 'health-system' });
    const principal: Principal = { subject: clinic.clientId, organizationId: clinic.id, roles: ['staff'], issuedAt: Math.floor(Date.now() / 1000) };

    const source = new Map<string, string>();
    for (const name of await readdir(SMC)) if (name.endsWith('.csv')) source.set(name, await readFile(join(SMC, name), 'utf8'));
    const sharedIds = new Set<string>();
    for (const name of SHARED_FILES) for (const match of source.get(name)!.matchAll(UUID)) sharedIds.add(match[0]);
    // Rows, not lines: descriptions hold line breaks.
    const servicesPerCopy = [...source.get('services.csv')!.matchAll(/^[0-9a-f-]{36},/gm)].length;
    const copies = Math.ceil(Math.max(...sizes) / servicesPerCopy);
    const copiesPerBatch = Math.max(1, Math.round(batchServices / servicesPerCopy));
    // One batch more than the largest size: the baseline copies the batch after the last one imported.
    const places = placements(copies + copiesPerBatch);
    const validator = new HsdsValidator();
    const importer = new DirectoryImporter(dataSource, new ListingIndex(config.NWD_DIRECTORY_TIME_ZONE), directory.get(Outbox));

    let imported = 0;
    const importTimes = { ms: 0, services: 0, rows: 0 };
    /**
     * Copies `from` … `from + count - 1` as one package, each copy's locations moved onto its own place
     * (not timed: it stands for a publisher elsewhere), left to be read as it is imported.
     */
    const batch = (from: number, count: number) => {
      const files = new Map<string, string>();
      for (let k = from; k < from + count; k++) {
        for (const [name, text] of copyFiles(source, sharedIds, k, places[k])) {
          // One package per batch: the copies' rows of a file are concatenated under one header.
          const existing = files.get(name);
          files.set(name, existing === undefined ? text : `${existing.trimEnd()}\n${text.slice(text.indexOf('\n') + 1)}`);
        }
      }
      return new TabularPackage(files, validator);
    };
    /** Imports copies until `target` services, `copiesPerBatch` per import (one package, one transaction). */
    const growTo = async (target: number) => {
      while (imported * servicesPerCopy < target) {
        const count = Math.min(copiesPerBatch, Math.ceil(target / servicesPerCopy) - imported);
        const pkg = batch(imported, count);
        const t0 = performance.now();
        const report = await importer.run(pkg);
        importTimes.ms += performance.now() - t0;
        if (!report.applied) throw new Error(`import refused: ${JSON.stringify(report.problems.slice(0, 3))}`);
        importTimes.services += report.counts.service.inserted;
        importTimes.rows += pkg.size;
        imported += count;
        process.stderr.write(`\r  imported ${fmt(imported * servicesPerCopy, 0)} services`);
      }
      process.stderr.write('\n');
      await dataSource.query('ANALYZE');
    };
    /**
     * Baseline, at the directory's current size: the next batch's HSDS rows COPYed straight into their
     * tables, with the indexes they have and no foreign-key triggers, then their search rows built, then all
     * rolled back — the PostgreSQL work no import of these rows can avoid (no parsing, validation,
     * reference checks or bookkeeping), on the import's one connection.
     */
    const writeBaseline = async () => {
      const pkg = batch(imported, copiesPerBatch).readNow();
      const index = new ListingIndex(config.NWD_DIRECTORY_TIME_ZONE);
      const runner = dataSource.createQueryRunner();
      const client = (await runner.connect()) as PoolClient;
      try {
        await runner.startTransaction();
        await runner.query(`SET LOCAL session_replication_role = replica`);
        const t0 = performance.now();
        for (const table of HSDS_TABLES) {
          const rows = pkg.rows(table.name).map((row) => row.record);
          if (rows.length) await copyRows(client, `hsds_${table.name}`, table.fields.map((field) => field.name), rows);
        }
        const t1 = performance.now();
        await index.refreshServices(runner.manager, [...pkg.ids('service')]);
        const t2 = performance.now();
        return { services: pkg.ids('service').size, copyMs: t1 - t0, searchMs: t2 - t1 };
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
    };

    /** A referrer somewhere in the directory: one of the copies' places, within San Mateo's spread. */
    const queryAt = (i: number) => {
      const place = places[(i * 7919) % imported];
      const { q, need } = QUERIES[i % QUERIES.length];
      const jitter = ((i * 37) % 11) / 100 - 0.05;
      return { q, need, lat: Math.round((place.lat + jitter) * 1e5) / 1e5, lon: Math.round((place.lon - jitter) * 1e5) / 1e5, radiusKm: 10 };
    };
    const measure = async () => {
      // A fresh token per size: a large import outlasts a token's lifetime.
      const staffToken = await token(clinic.clientId, clinic.clientSecret);
      const viaHttp: number[] = [];
      const inProcess: number[] = [];
      let hits = 0;
      for (let i = 0; i < 30; i++) await call(port, 'GET', `/v1/directory/search?${new URLSearchParams(queryAt(i) as never)}`, staffToken); // warm-up
      for (let i = 0; i < queries; i++) {
        const query = queryAt(i);
        const t0 = performance.now();
        const body = await expectStatus<{ total: number }>(call(port, 'GET', `/v1/directory/search?${new URLSearchParams(query as never)}`, staffToken), 200);
        viaHttp.push(performance.now() - t0);
        hits += body.total;
        const dto = Object.assign(new SearchQueryDto(), { ...query, need: [query.need] });
        const t1 = performance.now();
        await searchService.search(principal, dto);
        inProcess.push(performance.now() - t1);
      }
      return { viaHttp, inProcess, meanHits: hits / queries };
    };

    const rows: { size: number; services: number; http: number[]; inProcess: number[]; meanHits: number; importRate: number; copyRate: number; writeRate: number }[] = [];
    for (const size of sizes) {
      const msBefore = importTimes.ms;
      const servicesBefore = importTimes.services;
      await growTo(size);
      const importRate = (importTimes.services - servicesBefore) / ((importTimes.ms - msBefore) / 1000);
      const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM hsds_service`);
      const baseline = await writeBaseline();
      const measured = await measure();
      rows.push({ size, services: n, http: measured.viaHttp, inProcess: measured.inProcess, meanHits: measured.meanHits, importRate,
        copyRate: baseline.services / (baseline.copyMs / 1000),
        writeRate: baseline.services / ((baseline.copyMs + baseline.searchMs) / 1000),
      });
      // Figures so far, in case a later size does not finish.
      process.stderr.write(
        `  ${n} services: HTTP p95 ${fmt(percentile(measured.viaHttp, 95))} ms, in-process p95 ${fmt(percentile(measured.inProcess, 95))} ms, ` +
          `import ${fmt(importTimes.services / (importTimes.ms / 1000), 0)} services/s\n`,
      );
    }

    console.log(`sizes: ${sizes.join(', ')}; ${queries} sequential queries per size (text + need + 10 km radius); import batches of ${copiesPerBatch} copies; node ${process.version}; 2 cores`);
    console.log('');
    console.log('| services | HTTP p50 / p95 (ms) | in-process search p50 / p95 (ms) | HTTP share of p95 | mean hits per query |');
    console.log('|---|---|---|---|---|');
    for (const row of rows) {
      const httpP95 = percentile(row.http, 95);
      const inP95 = percentile(row.inProcess, 95);
      console.log(
        `| ${fmt(row.services, 0)} | ${fmt(percentile(row.http, 50))} / ${fmt(httpP95)} | ${fmt(percentile(row.inProcess, 50))} / ${fmt(inP95)} | ${fmt((100 * (httpP95 - inP95)) / httpP95, 0)} % | ${fmt(row.meanHits, 1)} |`,
      );
    }
    console.log('');
    console.log('| services | baseline: COPY of the next batch\'s HSDS rows (services/s) | baseline: … + their search rows (services/s) | import, batches up to this size (services/s) | import / baseline with search rows |');
    console.log('|---|---|---|---|---|');
    for (const row of rows) {
      console.log(`| ${fmt(row.services, 0)} | ${fmt(row.copyRate, 0)} | ${fmt(row.writeRate, 0)} | ${fmt(row.importRate, 0)} | ${fmt(row.importRate / row.writeRate, 2)} |`);
    }
    const first = rows[0];
    const last = rows[rows.length - 1];
    const growth = percentile(last.http, 95) / percentile(first.http, 95);
    console.log('');
    console.log('| measure | figure | target |');
    console.log('|---|---|---|');
    console.log(`| HTTP p95 at ${fmt(last.services, 0)} services (ms) | ${fmt(percentile(last.http, 95))} | ≤ 15 at 500k |`);
    console.log(`| p95 growth ${fmt(first.services, 0)} → ${fmt(last.services, 0)} | ${fmt(growth, 2)}× | < 3× |`);
    console.log(`| import: read + validate + write, one call per batch (services/s; HSDS rows/s) | ${fmt(importTimes.services / (importTimes.ms / 1000), 0)}; ${fmt(importTimes.rows / (importTimes.ms / 1000), 0)} | ≥ 5,000 services/s |`);
    console.log(`| … total import time for ${fmt(importTimes.services, 0)} services, ${fmt(importTimes.rows, 0)} HSDS rows (s) | ${fmt(importTimes.ms / 1000)} | |`);
  } finally {
    await directory?.close();
    close();
    await deleteTestStreams(prefix);
    if (keepDatabase) process.stderr.write(`  kept database ${database}\n`);
    else await dropDatabases([database]);
  }
}
