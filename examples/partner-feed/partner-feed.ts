/**
 * A partner's feed consumer, with the plain `nats` package and `fetch` only: it reads its
 * organization's feed from its durable slot, fetches each referral it receives through the
 * referral API (OAuth client credentials), posts the outcome back — accepts a new referral, then
 * completes it — and acknowledges the message only after that, so a crash means a redelivery,
 * never a lost referral. Redeliveries are harmless: it reads the referral's status first and each
 * change carries an Idempotency-Key derived from the message id.
 *
 * Run it (against `npm start`, with your organization's NATS credentials when the server asks):
 *   NATS_URL=nats://127.0.0.1:4222 NATS_CREDS=./my-org.creds ORGANIZATION_ID=… \
 *   DIRECTORY_URL=http://127.0.0.1:3002 REFERRAL_URL=http://127.0.0.1:3001 CLIENT_ID=… CLIENT_SECRET=… \
 *   node -r @swc-node/register examples/partner-feed/partner-feed.ts
 */
import { readFileSync } from 'node:fs';
import { AckPolicy, connect, credsAuthenticator, DeliverPolicy, JsMsg, NatsConnection } from 'nats';

export interface PartnerFeedSettings {
  natsUrl: string;
  /** Your organization's NATS credentials (a .creds file: user JWT and seed). */
  credsFile?: string;
  /** The network's subject prefix, when it runs under one (test networks do); none in production. */
  prefix?: string;
  organizationId: string;
  /** Which of your durable consumer slots to read (1…3). */
  slot?: number;
  directoryUrl: string;
  referralUrl: string;
  clientId: string;
  clientSecret: string;
  /** Stop after handling this many messages (a test's run); by default it runs until stopped. */
  maxMessages?: number;
  log?: (line: string) => void;
}

/** The body of every feed message (see /docs/asyncapi.json on the notifications service). */
interface FeedEnvelope {
  id: string;
  type: string;
  data: { referralId: string; receivingOrganizationId: string; senderOrganizationId: string; status: string; version: number };
}

interface Referral {
  id: string;
  status: string;
  version: number;
  receivingOrganizationId: string;
}

export interface HandledMessage {
  type: string;
  referralId: string;
  action: 'completed' | 'noted';
}

/** Names on the server: the prefix applies to subjects, stream and consumer names alike. */
function names(prefix = '') {
  return {
    subject: (s: string) => (prefix ? `${prefix}.${s}` : s),
    stream: (s: string) => (prefix ? `${prefix.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}_${s}` : s),
    durable: (s: string) => (prefix ? `${prefix.replace(/[^a-zA-Z0-9_-]/g, '_')}_${s}` : s),
  };
}

export async function runPartnerFeed(settings: PartnerFeedSettings): Promise<HandledMessage[]> {
  const log = settings.log ?? ((line: string) => console.log(line));
  const n = names(settings.prefix);
  const stream = n.stream('PARTNER');
  const durable = n.durable(`p-${settings.organizationId}-${settings.slot ?? 1}`);
  const nc: NatsConnection = await connect({
    servers: settings.natsUrl.split(','),
    name: `partner-feed ${settings.organizationId}`,
    ...(settings.credsFile ? { authenticator: credsAuthenticator(readFileSync(settings.credsFile)) } : {}),
  });
  const handled: HandledMessage[] = [];
  try {
    const jsm = await nc.jetstreamManager();
    // Creating it again with the same settings is a no-op: the slot keeps its position across runs.
    await jsm.consumers.add(stream, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: n.subject(`partner.${settings.organizationId}.>`),
      ack_wait: 30_000_000_000,
    });
    const consumer = await nc.jetstream().consumers.get(stream, durable);
    const api = new ReferralApi(settings);
    const messages = await consumer.consume({ max_messages: 16 });
    for await (const message of messages) {
      try {
        const result = await handle(api, settings.organizationId, message);
        message.ack();
        handled.push(result);
        log(`${result.type} ${result.referralId}: ${result.action}`);
      } catch (error) {
        // Not acknowledged: the server redelivers it after a pause.
        log(`could not handle message ${message.seq}: ${String(error)}`);
        message.nak(5000);
      }
      if (settings.maxMessages && handled.length >= settings.maxMessages) break;
    }
    messages.stop();
  } finally {
    await nc.drain();
  }
  return handled;
}

async function handle(api: ReferralApi, organizationId: string, message: JsMsg): Promise<HandledMessage> {
  const envelope = message.json<FeedEnvelope>();
  const type = envelope.type.slice(envelope.type.indexOf('referral.'));
  const referralId = envelope.data.referralId;
  // Only what is ours to act on: a new referral to us. Everything else is news to record.
  if (type !== 'referral.v1.requested' || envelope.data.receivingOrganizationId !== organizationId) {
    return { type, referralId, action: 'noted' };
  }
  let referral = await api.get(referralId);
  if (referral.status === 'requested') {
    referral = await api.changeStatus(referral, { status: 'accepted' }, `${envelope.id}-accept`);
  }
  if (referral.status === 'accepted') {
    // Your own service delivery happens here; then the loop is closed with what happened.
    referral = await api.changeStatus(referral, { status: 'completed', outcome: 'service-provided' }, `${envelope.id}-complete`);
  }
  return { type, referralId, action: 'completed' };
}

/** The referral API, with an access token from the directory renewed before it expires. */
class ReferralApi {
  private token?: { value: string; until: number };

  constructor(private readonly settings: PartnerFeedSettings) {}

  async get(id: string): Promise<Referral> {
    return this.call('GET', `/v1/referrals/${id}`);
  }

  async changeStatus(referral: Referral, change: { status: string; outcome?: string }, idempotencyKey: string): Promise<Referral> {
    return this.call('POST', `/v1/referrals/${referral.id}/status`, { ...change, version: referral.version }, idempotencyKey);
  }

  private async call<T>(method: string, path: string, body?: object, idempotencyKey?: string): Promise<T> {
    const res = await fetch(`${this.settings.referralUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await this.accessToken()}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const payload = (await res.json()) as T & { code?: string; detail?: string };
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${payload.code ?? ''} ${payload.detail ?? ''}`);
    return payload;
  }

  private async accessToken(): Promise<string> {
    if (this.token && Date.now() < this.token.until) return this.token.value;
    const res = await fetch(`${this.settings.directoryUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: this.settings.clientId, client_secret: this.settings.clientSecret }),
    });
    const body = (await res.json()) as { access_token?: string; expires_in?: number; code?: string };
    if (!res.ok || !body.access_token) throw new Error(`token: ${res.status} ${body.code ?? ''}`);
    this.token = { value: body.access_token, until: Date.now() + Math.max(0, (body.expires_in ?? 60) - 30) * 1000 };
    return body.access_token;
  }
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

if (require.main === module) {
  runPartnerFeed({
    natsUrl: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
    credsFile: process.env.NATS_CREDS,
    prefix: process.env.NWD_NATS_PREFIX,
    organizationId: required('ORGANIZATION_ID'),
    slot: process.env.SLOT ? Number(process.env.SLOT) : 1,
    directoryUrl: process.env.DIRECTORY_URL ?? 'http://127.0.0.1:3002',
    referralUrl: process.env.REFERRAL_URL ?? 'http://127.0.0.1:3001',
    clientId: required('CLIENT_ID'),
    clientSecret: required('CLIENT_SECRET'),
  }).catch((error) => {
    console.error(String(error));
    process.exit(1);
  });
}
