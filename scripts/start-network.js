#!/usr/bin/env node
/**
 * `npm start`: runs the five services from dist/ against the local PostgreSQL and NATS, each
 * on its default port, with prefixed output; Ctrl-C stops them all. Each service creates its
 * database (outside production) and migrates it at boot.
 */
const { spawn, execFileSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const SERVICES = ['directory', 'referral', 'consent', 'notifications', 'reporting'];
const only = process.argv.slice(2);

execFileSync('bash', [path.join(root, 'scripts/ensure-infra.sh')], { stdio: 'inherit' });

const env = {
  NWD_ADMIN_CLIENT_ID: 'network-admin',
  NWD_ADMIN_CLIENT_SECRET: 'change-me-local-only-not-for-production',
  ...process.env,
};
const children = [];
for (const service of only.length ? only : SERVICES) {
  const child = spawn(process.execPath, [path.join(root, `dist/apps/${service}/src/main.js`)], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tag = `[${service}]`.padEnd(16);
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream.on('data', (chunk) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop();
      for (const line of lines) process.stdout.write(`${tag}${line}\n`);
    });
  }
  child.on('exit', (code, signal) => {
    process.stdout.write(`${tag}exited (${signal ?? code})\n`);
    if (!stopping) stopAll(code ?? 1);
  });
  children.push(child);
}

let stopping = false;
function stopAll(code) {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
  Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r))))).then(() => process.exit(code));
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
