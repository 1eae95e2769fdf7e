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
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const SERVICES = ['directory', 'referral', 'consent', 'notifications', 'reporting'];
const only = process.argv.slice(2);
const NATS_PORT = Number(process.env.NWD_LOCAL_NATS_PORT || 4322);
const NATS_DIR = path.join(root, '.nats/local');
const NATS_SERVER_BIN = process.env.NATS_SERVER_BIN || '/usr/sbin/nats-server';
const LOCAL_ADMIN = { id: 'network-admin', secret: 'change-me-local-only-not-for-production' };
const showLine = process.stdout.isTTY ? readableLine() : (line) => line;

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
  const { serverConfig, creds, partnerIssuer } = await new CredentialStore(NATS_DIR).write({
    host: '127.0.0.1',
    port: NATS_PORT,
    storeDir: path.join(NATS_DIR, 'jetstream'),
  });
  natsServer = supervise('nats', spawn(NATS_SERVER_BIN, ['-c', serverConfig], { stdio: ['ignore', 'pipe', 'pipe'] }));
  await waitFor(() => portOpen(NATS_PORT), 10_000, `nats-server did not open port ${NATS_PORT}`);

  const started = only.length ? only : SERVICES;
  for (const service of started) {
    const env = {
      NWD_ADMIN_CLIENT_ID: LOCAL_ADMIN.id,
      NWD_ADMIN_CLIENT_SECRET: LOCAL_ADMIN.secret,
      ...process.env,
      NATS_URL: `nats://127.0.0.1:${NATS_PORT}`,
      NWD_NATS_CREDS_FILE: creds[service],
      ...(service === 'notifications' ? { NWD_PARTNER_NATS_ISSUER_FILE: partnerIssuer } : {}),
    };
    supervise(service, spawn(process.execPath, [path.join(root, `dist/apps/${service}/src/main.js`)], { env, stdio: ['ignore', 'pipe', 'pipe'] }));
  }
  const ports = Object.fromEntries(started.map((service) => [service, defaultPort(service)]));
  await Promise.all(
    Object.values(ports).map((port) => waitFor(() => healthy(port), 120_000, `a service on port ${port} is not healthy after 2 minutes`)),
  );
  if (!stopping) process.stdout.write(banner(ports));
}

/** What a newcomer opens first: each Swagger UI, the admin the directory created, and how to get a token. */
function banner(ports) {
  const adminId = process.env.NWD_ADMIN_CLIENT_ID || LOCAL_ADMIN.id;
  // A secret of one's own stays out of the terminal's scrollback; the shell expands it in the curl.
  const adminSecret = process.env.NWD_ADMIN_CLIENT_SECRET ? '"$NWD_ADMIN_CLIENT_SECRET"' : LOCAL_ADMIN.secret;
  const lines = ['', 'No Wrong Door is running. Swagger UI of each service:'];
  for (const [service, port] of Object.entries(ports)) lines.push(`  ${service.padEnd(14)} http://localhost:${port}/docs`);
  if (ports.directory) {
    lines.push(
      '',
      `Network admin (the directory creates it at its first boot): client id ${adminId}, secret ${adminSecret}`,
      'A first token:',
      `  curl -s -X POST localhost:${ports.directory}/oauth/token -u ${adminId}:${adminSecret} -d grant_type=client_credentials`,
    );
  }
  lines.push(
    '',
    `NATS (nats://127.0.0.1:${NATS_PORT}) runs with the network's authorization: no anonymous connections; each service has its own credentials.`,
    ...(ports.notifications ? [`Partner NATS credentials for an organization: POST http://localhost:${ports.notifications}/v1/nats-credentials (org-admin token).`] : []),
    '',
    'Ctrl-C stops the services and their nats-server.',
    '',
  );
  return lines.join('\n');
}

/** Each service's port, read from its own config class so that the banner cannot drift from it. */
function defaultPort(service) {
  const exported = require(path.join(root, `dist/apps/${service}/src/${service}.config.js`));
  const Config = Object.values(exported).find((value) => typeof value === 'function');
  return new Config().PORT;
}

/**
 * A terminal gets one readable line per entry. Nest's announcement of every module and route it
 * wires at boot (some 200 lines) is left out: the Swagger UI lists the routes. Lines that are not
 * JSON (nats-server's) pass as they are.
 */
function readableLine() {
  const BOOT_ANNOUNCEMENTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);
  const pretty = require('pino-pretty').prettyFactory({
    colorize: true,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,service,context,req,res,responseTime',
    messageFormat: '{if context}{context}: {end}{msg}{if req.method} {req.method} {req.url} → {res.statusCode} in {responseTime} ms{end}',
  });
  return (line) => {
    let entry;
    try {
      entry = JSON.parse(line);
    } catch {
      return line;
    }
    if (typeof entry !== 'object' || entry === null) return line;
    if (BOOT_ANNOUNCEMENTS.has(entry.context)) return undefined;
    return pretty(entry).trimEnd();
  };
}

function supervise(name, child) {
  const tag = `[${name}]`.padEnd(16);
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream.on('data', (chunk) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop();
      for (const line of lines) {
        const shown = showLine(line);
        if (shown !== undefined) process.stdout.write(shown.replace(/^/gm, tag) + '\n');
      }
    });
  }
  child.on('exit', (code, signal) => {
    process.stdout.write(`${tag}exited (${signal ?? code})\n`);
    if (!stopping) stopAll(code ?? 1);
  });
  if (name !== 'nats') children.push(child);
  return child;
}

async function waitFor(probe, timeoutMs, failure) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (stopping) return;
    if (Date.now() > deadline) throw new Error(failure);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function portOpen(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

function healthy(port) {
  return new Promise((resolve) => {
    http
      .get({ host: '127.0.0.1', port, path: '/health', timeout: 2000 }, (res) => (res.resume(), resolve(res.statusCode === 200)))
      .once('error', () => resolve(false))
      .once('timeout', function () {
        this.destroy();
      });
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
      // Both are graceful, but nats-server exits 1 on SIGTERM: an "exited (1)" would read as a failure.
      natsServer?.kill('SIGINT');
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
