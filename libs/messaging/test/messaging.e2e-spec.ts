import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { connect, NatsConnection } from 'nats';
import { DataSource } from 'typeorm';
import { RequestContext } from '@nwd/observability';
import { bootService, natsUrl, pollUntil, ServiceUnderTest, TestNatsServer } from '@nwd/testing';
import { DLQ_HEADERS, MessagingClient, MessagingHost, NatsClient, Outbox, OutboxRelay } from '../src';
import {
  echo,
  PROBE_TABLES,
  ProbeAppModule,
  ProbeConfig,
  ProbeHandlers,
  probeHappened,
  ProbeHappened,
} from './probe-app';

type Probe = ServiceUnderTest<ProbeConfig>;

async function bootProbe(env: Record<string, unknown> = {}, database?: Probe['database']): Promise<Probe> {
  const svc = await bootService({
    service: 'reporting', // any service template: all carry the messaging tables
    config: ProbeConfig,
    module: (c) => ProbeAppModule.forRoot(c),
    env,
    database,
  });
  await svc.app.get(DataSource).query(PROBE_TABLES);
  return svc;
}

/** Commits a state change and its event in one transaction, or rolls both back. */
async function commitProbe(svc: Probe, behaviour: ProbeHappened['behaviour'], { rollback = false } = {}): Promise<string> {
  const probeId = randomUUID();
  const outbox = svc.app.get(Outbox);
  await svc.app
    .get(DataSource)
    .transaction(async (manager) => {
      await manager.query('INSERT INTO probe_state (id, value) VALUES ($1, $2)', [probeId, behaviour]);
      await outbox.append(manager, probeHappened, { probeId, behaviour });
      if (rollback) throw new Error('rolled back on purpose');
    })
    .catch((error: Error) => {
      if (!rollback) throw error;
    });
  return probeId;
}

async function handledCount(svc: Probe, probeId: string): Promise<number> {
  const [row] = await svc.app.get(DataSource).query('SELECT count(*)::int AS n FROM probe_handled WHERE probe_id = $1', [probeId]);
  return row.n;
}

async function unpublished(svc: Probe): Promise<number> {
  const [row] = await svc.app.get(DataSource).query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL');
  return row.n;
}

async function streamCount(nc: NatsConnection, svc: Probe, stream: string): Promise<number> {
  const jsm = await nc.jetstreamManager();
  return (await jsm.streams.info(svc.app.get(NatsClient).stream(stream))).state.messages;
}

/** The probe's message parked on the DLQ (the last one parked there is that probe's). */
async function parkedOnDlq(nc: NatsConnection, svc: Probe, probeId: string, what: string) {
  const nats = svc.app.get(NatsClient);
  const jsm = await nc.jetstreamManager();
  const parked = await pollUntil(
    () => jsm.streams.getMessage(nats.stream('DLQ'), { last_by_subj: nats.subject('dlq.probe-recorder') }).catch(() => undefined),
    (m) => m !== undefined && JSON.parse(new TextDecoder().decode(m.data)).data.probeId === probeId,
    { what },
  );
  return parked!;
}

describe('messaging on real PostgreSQL and NATS', () => {
  let svc: Probe;
  let nc: NatsConnection;

  beforeAll(async () => {
    svc = await bootProbe();
    nc = await connect({ servers: natsUrl() });
  });
  afterAll(async () => {
    await nc?.close();
    await svc?.close();
  });

  it('handles a committed event exactly once, and a rolled-back transaction emits nothing', async () => {
    const committed = await commitProbe(svc, 'ok');
    const rolledBack = await commitProbe(svc, 'ok', { rollback: true });
    const marker = await commitProbe(svc, 'ok');

    await pollUntil(() => handledCount(svc, marker), (n) => n === 1, { what: 'marker handled' });
    expect(await handledCount(svc, committed)).toBe(1);
    expect(await handledCount(svc, rolledBack)).toBe(0);
    const [state] = await svc.app.get(DataSource).query('SELECT count(*)::int AS n FROM probe_state WHERE id = $1', [rolledBack]);
    expect(state.n).toBe(0);
    await pollUntil(() => unpublished(svc), (n) => n === 0, { what: 'outbox drained' });
    const [outbox] = await svc.app.get(DataSource).query(
      `SELECT count(*)::int AS n FROM outbox WHERE envelope->'data'->>'probeId' = $1`,
      [rolledBack],
    );
    expect(outbox.n).toBe(0);

    // A redelivery from outside the stream's duplicate window (same event id, new message id) finds the inbox row.
    const [row] = await svc.app.get(DataSource).query(
      `SELECT envelope::text AS envelope FROM outbox WHERE envelope->'data'->>'probeId' = $1`,
      [committed],
    );
    const nats = svc.app.get(NatsClient);
    await nc.jetstream().publish(nats.subject(probeHappened.subject), new TextEncoder().encode(row.envelope), { msgID: randomUUID() });
    const host = svc.app.get(MessagingHost);
    await pollUntil(() => host.consumers[0]!.pending(), (n) => n === 0, { what: 'redelivery consumed' });
    expect(await handledCount(svc, committed)).toBe(1);
  });

  it('carries the request id of the writer into the handler', async () => {
    const probeId = await RequestContext.run('req-carried-1', () => commitProbe(svc, 'ok'));
    await pollUntil(() => handledCount(svc, probeId), (n) => n === 1, { what: 'handled' });
    const [row] = await svc.app.get(DataSource).query('SELECT request_id FROM probe_handled WHERE probe_id = $1', [probeId]);
    expect(row.request_id).toBe('req-carried-1');
  });

  it('retries a transiently failing handler until it succeeds', async () => {
    const probeId = await commitProbe(svc, 'fail-twice');
    await pollUntil(() => svc.app.get(ProbeHandlers).attempts.get(probeId) ?? 0, (n) => n === 3, { what: 'third attempt' });
    await pollUntil(() => handledCount(svc, probeId), (n) => n === 1, { what: 'handled once' });
    // The two failed attempts rolled back their writes together with their inbox rows.
    const [inbox] = await svc.app.get(DataSource).query(
      `SELECT count(*)::int AS n FROM inbox i JOIN probe_handled p ON p.event_id = i.event_id WHERE p.probe_id = $1`,
      [probeId],
    );
    expect(inbox.n).toBe(1);
  });

  it('parks a message that fails on every delivery on the DLQ with its error, and keeps handling later ones', async () => {
    const failing = await commitProbe(svc, 'fail-always');
    const later = await commitProbe(svc, 'ok');
    await pollUntil(() => handledCount(svc, later), (n) => n === 1, { what: 'later message handled' });

    const parked = await parkedOnDlq(nc, svc, failing, 'failing probe parked');
    expect(parked.header.get(DLQ_HEADERS.error)).toContain(`probe ${failing} failed on attempt 3`);
    expect(parked.header.get(DLQ_HEADERS.deliveries)).toBe('3');
    expect(parked.header.get(DLQ_HEADERS.subject)).toBe(probeHappened.subject);
    expect(svc.app.get(ProbeHandlers).attempts.get(failing)).toBe(3);
    expect(await handledCount(svc, failing)).toBe(0);
  });

  it('dead-letters a permanent (domain) failure at its first delivery', async () => {
    const rejected = await commitProbe(svc, 'reject');
    const parked = await parkedOnDlq(nc, svc, rejected, 'rejected probe parked');
    expect(parked.header.get(DLQ_HEADERS.errorCode)).toBe('probe.rejected');
    expect(parked.header.get(DLQ_HEADERS.deliveries)).toBe('1');
  });

  it('parks, unhandled, an event whose envelope says another type than its subject (a message re-delivered onto it from elsewhere)', async () => {
    const nats = svc.app.get(NatsClient);
    const probeId = randomUUID();
    const envelope = { id: randomUUID(), type: 'probe.v1.something-else', source: 'probe', occurredAt: new Date().toISOString(), data: { probeId, behaviour: 'ok' } };
    await nc.jetstream().publish(nats.subject(probeHappened.subject), new TextEncoder().encode(JSON.stringify(envelope)), { msgID: envelope.id });
    const parked = await parkedOnDlq(nc, svc, probeId, 'mistyped event parked');
    expect(parked.header.get(DLQ_HEADERS.errorCode)).toBe('contract-violation');
    expect(parked.header.get(DLQ_HEADERS.error)).toContain('probe.v1.something-else delivered as probe.v1.happened');
    expect(await handledCount(svc, probeId)).toBe(0);
  });

  it('answers request/reply, carrying domain errors back and reporting missing responders', async () => {
    const client = svc.app.get(MessagingClient);
    await expect(client.request(echo, { word: 'hello' })).resolves.toEqual({ echoed: 'HELLO' });
    await expect(client.request(echo, { word: 'missing' })).rejects.toMatchObject({ code: 'probe.missing', kind: 'not-found' });
    await expect(client.request(echo, { word: 'crash' })).rejects.toMatchObject({ code: 'messaging.responder-failed', kind: 'unavailable' });
    await expect(client.request(echo, { word: 'nonsense' })).rejects.toThrow(/violates its contract/);
    const other = await bootProbe();
    try {
      // Same contract, but nobody serves it in this other namespace once its responder stops.
      await other.app.get(MessagingHost).beforeApplicationShutdown();
      await expect(other.app.get(MessagingClient).request(echo, { word: 'hello' })).rejects.toMatchObject({
        code: 'messaging.no-responders',
      });
    } finally {
      await other.close();
    }
  });

  it('refuses to write an event that breaks its contract, rolling back the state change with it', async () => {
    const probeId = randomUUID();
    const outbox = svc.app.get(Outbox);
    await expect(
      svc.app.get(DataSource).transaction(async (manager) => {
        await manager.query('INSERT INTO probe_state (id, value) VALUES ($1, $2)', [probeId, 'bad']);
        await outbox.append(manager, probeHappened, { probeId, behaviour: 'explode' } as unknown as ProbeHappened);
      }),
    ).rejects.toThrow(/behaviour/);
    const [state] = await svc.app.get(DataSource).query('SELECT count(*)::int AS n FROM probe_state WHERE id = $1', [probeId]);
    expect(state.n).toBe(0);
  });

  it('exposes outbox backlog, consumer lag and dead-letter counts as metrics', async () => {
    await commitProbe(svc, 'reject');
    const deadLettered = /dead_lettered_messages_total\{consumer="probe-recorder"\} [1-9]/;
    const metrics = await pollUntil(
      () => svc.app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/metrics' }).then((res) => res.body),
      (body) => deadLettered.test(body),
      { what: 'a dead letter counted' },
    );
    expect(metrics).toMatch(/outbox_backlog_events \d+/);
    expect(metrics).toMatch(/consumer_lag_messages\{consumer="[^"]*probe-recorder"\} \d+/);
    expect(metrics).toMatch(deadLettered);
  });
});

describe('messaging through NATS outages and relay crashes', () => {
  let server: TestNatsServer;
  beforeAll(async () => {
    server = await TestNatsServer.start();
  });
  afterAll(() => server?.dispose());

  it('commits while NATS is down and delivers the event once NATS is back', async () => {
    const svc = await bootProbe({ NATS_URL: server.url });
    try {
      await server.stop();
      const probeId = await commitProbe(svc, 'ok');
      expect(await unpublished(svc)).toBe(1);
      await server.restart();
      await pollUntil(() => handledCount(svc, probeId), (n) => n === 1, { timeoutMs: 30_000, what: 'handled after NATS returned' });
      await pollUntil(() => unpublished(svc), (n) => n === 0, { what: 'outbox drained' });
    } finally {
      await server.restart();
      await svc.close();
    }
  });

  it('handles nothing twice when a relay is killed between publishing and marking', async () => {
    const svc = await bootProbe({ NATS_URL: server.url, NWD_OUTBOX_RELAY: false });
    const nc = await connect({ servers: server.url });
    let child: ReturnType<typeof spawn> | undefined;
    try {
      expect(svc.app.get(MessagingHost).relay.isLeader).toBe(false);
      const probes = [];
      for (let i = 0; i < 5; i++) probes.push(await commitProbe(svc, 'ok'));

      child = spawn(
        process.execPath,
        ['-r', 'tsconfig-paths/register', '-r', '@swc-node/register', join(__dirname, 'crashing-relay.ts')],
        {
          cwd: join(__dirname, '../../..'),
          env: { ...process.env, DATABASE_URL: svc.config.DATABASE_URL, NATS_URL: server.url, NWD_NATS_PREFIX: svc.config.NWD_NATS_PREFIX },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let output = '';
      child.stdout!.on('data', (chunk) => (output += chunk));
      child.stderr!.on('data', (chunk) => (output += chunk));
      const signal = await new Promise((resolve) => child!.once('exit', (_code, sig) => resolve(sig)));

      expect(signal).toBe('SIGKILL');
      expect(output).toContain('published 5');

      // Published but never marked: the stream has them, the outbox still lists them.
      expect(await streamCount(nc, svc, 'PROBE')).toBe(5);
      expect(await unpublished(svc)).toBe(5);

      // A new relay publishes the same events again; the stream drops them as duplicates.
      let duplicates = 0;
      const nats = svc.app.get(NatsClient);
      const relay = new OutboxRelay({
        databaseUrl: svc.config.DATABASE_URL,
        js: () => nats.js,
        subject: (s) => nats.subject(s),
        logger: { log: () => undefined, warn: () => undefined },
        onPublished: (_count, dup) => (duplicates += dup),
      });
      relay.start();
      try {
        await pollUntil(() => unpublished(svc), (n) => n === 0, { what: 'rows marked by the new relay' });
      } finally {
        await relay.stop();
      }
      expect(duplicates).toBe(5);
      expect(await streamCount(nc, svc, 'PROBE')).toBe(5);
      for (const probeId of probes) await pollUntil(() => handledCount(svc, probeId), (n) => n === 1, { what: 'handled' });
      const [total] = await svc.app.get(DataSource).query('SELECT count(*)::int AS n FROM probe_handled');
      expect(total.n).toBe(5);
    } finally {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await nc.close();
      await svc.close();
    }
  });

  it('runs one active relay per service; a standby takes over when the active one stops', async () => {
    const first = await bootProbe({ NATS_URL: server.url });
    const second = await bootProbe({ NATS_URL: server.url, NWD_NATS_PREFIX: first.config.NWD_NATS_PREFIX }, first.database);
    try {
      const relays = [first, second].map((s) => s.app.get(MessagingHost).relay);
      await pollUntil(() => relays.filter((r) => r.isLeader).length, (n) => n === 1, { what: 'one leader' });
      const leader = relays.findIndex((r) => r.isLeader);
      await relays[leader]!.stop();
      const standby = relays[1 - leader]!;
      await pollUntil(() => standby.isLeader, (l) => l, { timeoutMs: 10_000, what: 'standby takes over' });
      const probeId = await commitProbe(leader === 0 ? second : first, 'ok');
      await pollUntil(() => handledCount(first, probeId), (n) => n === 1, { what: 'handled after take-over' });
    } finally {
      await second.close();
      await first.close();
    }
  });
});

