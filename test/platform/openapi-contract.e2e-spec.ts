import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { ServiceName, TestNetwork } from '@nwd/testing';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'node_modules/.bin');
const SERVICES: ServiceName[] = ['directory', 'referral', 'consent', 'notifications', 'reporting'];
/** The routes anyone may call; every other operation must require a token. */
const OPEN = /^(GET \/health|POST \/oauth\/token|GET \/\.well-known\/jwks\.json|GET \/hsds(\/.*)?)$/;

interface Operation {
  operationId?: string;
  summary?: string;
  security?: Record<string, string[]>[];
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}
type Document = { paths: Record<string, Record<string, Operation>> };

const operations = (document: Document) =>
  Object.entries(document.paths).flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, operation })));

/**
 * The documents a partner generates a client from: read from each running service, linted, held to
 * our rules (operationIds, security, response bodies, problem documents), and turned into a typed
 * client that the example partner (examples/partner-client) must compile against.
 */
describe('the OpenAPI documents', () => {
  let network: TestNetwork;
  let dir: string;
  const documents = new Map<ServiceName, Document>();

  beforeAll(async () => {
    network = await TestNetwork.start(SERVICES);
    dir = mkdtempSync(join(tmpdir(), 'nwd-openapi-'));
    for (const service of SERVICES) {
      const res = await request(network.server(service)).get('/docs/openapi.json').expect(200);
      documents.set(service, res.body as Document);
      writeFileSync(join(dir, `${service}.json`), JSON.stringify(res.body, null, 2));
    }
  }, 120_000);

  afterAll(async () => {
    await network?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('give every operation a unique operationId, a summary and its security', () => {
    for (const service of SERVICES) {
      const ops = operations(documents.get(service)!);
      const ids = ops.map(({ operation }) => operation.operationId);
      expect(ids.every((id) => typeof id === 'string' && /^[a-zA-Z]+_[a-zA-Z]+$/.test(id))).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
      for (const { key, operation } of ops) {
        expect({ key, summary: typeof operation.summary }).toEqual({ key, summary: 'string' });
        const bearer = (operation.security ?? []).some((r) => 'bearer' in r);
        expect({ key, bearer }).toEqual({ key, bearer: !OPEN.test(key) });
      }
    }
  });

  it('document every success body, and every error as the one problem schema', () => {
    for (const service of SERVICES) {
      for (const { key, operation } of operations(documents.get(service)!)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          const where = `${service} ${key} ${status}`;
          // A failing health check is still a health report (503 with the component states), not a problem.
          if (Number(status) >= 400 && !(key === 'GET /health' && status === '503')) {
            expect([where, response.content?.['application/problem+json']?.schema?.$ref]).toEqual([where, '#/components/schemas/ProblemDetailsDto']);
          } else if (status !== '204') {
            expect([where, Object.values(response.content ?? {})[0]?.schema]).toEqual([where, expect.any(Object)]);
          }
        }
        expect([key, Object.keys(operation.responses)]).toEqual([key, expect.arrayContaining(['400', '429', '500'])]);
      }
    }
  });

  it('pass redocly lint', async () => {
    const files = SERVICES.map((s) => join(dir, `${s}.json`));
    const linted = await run(join(BIN, 'redocly'), ['lint', '--config', join(ROOT, 'redocly.yaml'), '--format', 'stylish', ...files]).catch(
      (error: { stdout: string; stderr: string }) => ({ stdout: error.stdout, stderr: error.stderr, failed: true }),
    );
    expect({ failed: 'failed' in linted, output: 'failed' in linted ? `${linted.stdout}${linted.stderr}` : '' }).toEqual({ failed: false, output: '' });
  }, 120_000);

  it('generate typed clients that the example partner compiles against (strict)', async () => {
    const project = join(dir, 'partner');
    mkdirSync(join(project, 'generated'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(project, 'node_modules'), 'dir');
    for (const service of SERVICES) {
      await run(join(BIN, 'openapi-typescript'), [join(dir, `${service}.json`), '--default-non-nullable', 'false', '-o', join(project, 'generated', `${service}.ts`)]);
    }
    for (const file of ['partner.ts', 'tsconfig.json']) copyFileSync(join(ROOT, 'examples/partner-client', file), join(project, file));
    const compiled = await run(join(BIN, 'tsc'), ['-p', join(project, 'tsconfig.json')]).catch((error: { stdout: string }) => ({ stdout: error.stdout, failed: true }));
    expect({ failed: 'failed' in compiled, output: compiled.stdout }).toEqual({ failed: false, output: '' });

    // The same compile fails when the partner uses a field the document does not have: the types are real.
    writeFileSync(join(project, 'partner.ts'), `import type { components } from './generated/referral';\nconst r: components['schemas']['ReferralSummaryResponse'] = { nope: 1 };\nexport default r;\n`);
    const broken = await run(join(BIN, 'tsc'), ['-p', join(project, 'tsconfig.json')]).catch((error: { stdout: string }) => ({ stdout: error.stdout, failed: true }));
    expect('failed' in broken).toBe(true);
  }, 180_000);
});
