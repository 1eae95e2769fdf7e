import { createServer } from 'node:http';
import { Writable } from 'node:stream';
import pino from 'pino';
import pinoHttp, { Options } from 'pino-http';
import request from 'supertest';
import { loggerParams } from './logger';

/** The request lines a service at `level` writes for the given paths, as parsed JSON. */
async function requestLines(level: string, paths: string[]): Promise<{ level: number; req: { url: string } }[]> {
  const lines: string[] = [];
  const sink = new Writable({
    write: (chunk, _encoding, done) => (lines.push(...String(chunk).trim().split('\n')), done()),
  });
  const options = loggerParams('test', level).pinoHttp as Options;
  const log = pinoHttp({ ...options, logger: pino({ level }, sink) });
  const server = createServer((req, res) => (log(req, res), res.end('ok')));
  for (const path of paths) await request(server).get(path).expect(200);
  return lines.map((line) => JSON.parse(line));
}

describe('request logs', () => {
  const INFO = 30;
  const DEBUG = 20;

  it('logs requests at info but leaves health and metrics probes out of it', async () => {
    const lines = await requestLines('info', ['/health', '/metrics', '/v1/referrals']);
    expect(lines.map((line) => [line.req.url, line.level])).toEqual([['/v1/referrals', INFO]]);
  });

  it('shows the probes at debug', async () => {
    const lines = await requestLines('debug', ['/health', '/v1/referrals']);
    expect(lines.map((line) => [line.req.url, line.level])).toEqual([
      ['/health', DEBUG],
      ['/v1/referrals', INFO],
    ]);
  });
});
