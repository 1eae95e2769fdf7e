#!/usr/bin/env node
/**
 * `npm start`: runs the five services from dist/ against the local PostgreSQL and the network's
 * own nats-server, each on its default port, with prefixed output; Ctrl-C stops them all. Each
 * service creates its database (outside production) and migrates it at boot.
 *
 * NATS runs as it does in docker-compose: a nats-server started here with the configuration
 * `npm run nats:credentials` generates (operator, accounts, JetStream), on NWD_LOCAL_NATS_PORT
 * (4322; the machine's own server may hold 4222), keys and store under .nats/local (gitignored),
 * and every service connects with its own credentials.
 */
const { spawn, execFileSync } = require('node:child_process');
const net = require('node:net');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const SERVICES = ['directory', 'referral', 'consent', 'notifications', 'reporting'];
const only = process.argv.slice(2);
const NATS_PORT = Number(process.env.NWD_LOCAL_NATS_PORT || 4322);
const NATS_DIR = path.join(root, '.nats/local');
const NATS_SERVER_BIN = process.env.NATS_SERVER_BIN || '/usr/sbin/nats-server';

execFileSync('bash', [path.join(root, 'scripts/ensure-infra.sh')], { stdio: 'inherit' });

/** The services; the nats-server stops after them, so they drain their connections first. */
const children = [];
let natsServer;
let stopping = false;

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  stopAll(1);
});

async function main() {
  const { CredentialStore } = require(path.join(root, 'dist/libs/messaging/src/credentials/network-credentials.js'));
  const { serverConfig, creds } = await new CredentialStore(NATS_DIR).write({
    host: '127.0.0.1',
    port: NATS_PORT,
    storeDir: path.join(NATS_DIR, 'jetstream'),
  });
  natsServer = supervise('nats', spawn(NATS_SERVER_BIN, ['-c', serverConfig], { stdio: ['ignore', 'pipe', 'pipe'] }));
  await waitForPort(NATS_PORT, 10_000);

  for (const service of only.length ? only : SERVICES) {
    const env = {
      NWD_ADMIN_CLIENT_ID: 'network-admin',
      NWD_ADMIN_CLIENT_SECRET: 'change-me-local-only-not-for-production',
      ...process.env,
      NATS_URL: `nats://127.0.0.1:${NATS_PORT}`,
      NWD_NATS_CREDS_FILE: creds[service],
    };
    supervise(service, spawn(process.execPath, [path.join(root, `dist/apps/${service}/src/main.js`)], { env, stdio: ['ignore', 'pipe', 'pipe'] }));
  }
}

function supervise(name, child) {
  const tag = `[${name}]`.padEnd(16);
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
  if (name !== 'nats') children.push(child);
  return child;
}

function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve()));
      socket.once('error', () => {
        if (Date.now() > deadline) reject(new Error(`nats-server did not open port ${port}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  const exited = (child, ms) =>
    !child || child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise((resolve) => {
          child.once('exit', resolve);
          setTimeout(resolve, ms).unref();
        });
  Promise.all(children.map((c) => exited(c, 3000)))
    .then(() => {
      natsServer?.kill('SIGTERM');
      return exited(natsServer, 3000);
    })
    .then(() => {
      // Never leave a nats-server behind on this port.
      if (natsServer && natsServer.exitCode === null && natsServer.signalCode === null) natsServer.kill('SIGKILL');
      process.exit(code);
    });
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
