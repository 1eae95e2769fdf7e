import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import http from 'node:http';
import { pollUntil } from './harness';

const ROOT = join(__dirname, '../..');

/** A service started the way production starts it (its own main.ts, its own process and event loop). */
export class ServiceProcess {
  private constructor(
    readonly name: string,
    readonly port: number,
    private readonly child: ChildProcess,
    private readonly stderr: string[],
  ) {}

  static async start(name: string, port: number, env: Record<string, string>): Promise<ServiceProcess> {
    const stderr: string[] = [];
    // BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the services under load.
    const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...nodeArgs, '-r', 'tsconfig-paths/register', '-r', '@swc-node/register', `apps/${name}/src/main.ts`], {
      cwd: ROOT,
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    const service = new ServiceProcess(name, port, child, stderr);
    const state = await pollUntil(
      async () => (child.exitCode !== null ? 'exited' : (await service.healthy()) ? 'healthy' : 'starting'),
      (s) => s !== 'starting',
      { timeoutMs: 60_000, intervalMs: 200, what: `${name} to become healthy` },
    ).catch(() => 'timed out');
    if (state !== 'healthy') {
      await service.stop();
      throw new Error(`${name} did not become healthy (${state}): ${stderr.join('').slice(-2000)}`);
    }
    return service;
  }

  private healthy(): Promise<boolean> {
    return new Promise((resolve) => {
      const req = http.get({ host: '127.0.0.1', port: this.port, path: '/health' }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('error', () => resolve(false));
      req.setTimeout(1000, () => req.destroy());
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
