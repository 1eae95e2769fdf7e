import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import http from 'node:http';

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
    const deadline = Date.now() + 60_000;
    while (!(await service.healthy())) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await service.stop();
        throw new Error(`${name} did not become healthy: ${stderr.join('').slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 200));
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
