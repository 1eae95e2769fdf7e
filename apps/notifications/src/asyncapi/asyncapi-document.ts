import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { PARTNER_EVENT_TYPES, PartnerEventType, PartnerFeed } from '@nwd/contracts';
import { NatsNames } from '@nwd/messaging';

type JsonSchema = Record<string, unknown>;

export interface AsyncApiDocument {
  asyncapi: '3.0.0';
  info: { title: string; version: string; description: string };
  defaultContentType: string;
  servers: Record<string, { host: string; protocol: string; description: string }>;
  channels: Record<string, { address: string; title: string; description: string; parameters: Record<string, { description: string }>; messages: Record<string, { $ref: string }> }>;
  operations: Record<string, { action: 'receive'; channel: { $ref: string }; summary: string; messages: { $ref: string }[] }>;
  components: { messages: Record<string, JsonSchema>; schemas: Record<string, JsonSchema> };
}

const SCHEMAS = '#/components/schemas/';

/** What a partner copy's body is: the event envelope of the contracts (`EventEnvelope`), around its payload. */
function envelopeSchema(payloadSchema: string): JsonSchema {
  return {
    type: 'object',
    required: ['id', 'type', 'source', 'occurredAt', 'data'],
    properties: {
      id: { type: 'string', format: 'uuid', description: 'The copy’s id, the same however often it is delivered (also its Nats-Msg-Id): de-duplicate on it' },
      type: { type: 'string', description: 'The subject it was published on, without the network prefix' },
      source: { type: 'string', const: 'notifications' },
      occurredAt: { type: 'string', format: 'date-time', description: 'When the copy was written' },
      requestId: { type: 'string', description: 'The request that caused the event, for support' },
      data: { $ref: `${SCHEMAS}${payloadSchema}` },
    },
  };
}

/** The channel (and message) key of an event type: AsyncAPI keys allow letters, digits, `.`, `-` and `_`. */
export function channelKey(eventType: string): string {
  return eventType;
}

/**
 * The AsyncAPI 3 document of the partner feeds, generated from the contracts: one channel per
 * partner event type at `partner.{organizationId}.<type>` (with the network's prefix, if any),
 * its payload schema built from the contract class's class-validator metadata.
 */
export function partnerFeedsAsyncApi({ natsUrl, prefix, version }: { natsUrl: string; prefix: string; version: string }): AsyncApiDocument {
  const names = new NatsNames(prefix);
  const all = validationMetadatasToSchemas({ refPointerPrefix: SCHEMAS }) as Record<string, JsonSchema>;
  const schemas: Record<string, JsonSchema> = {};
  const channels: AsyncApiDocument['channels'] = {};
  const operations: AsyncApiDocument['operations'] = {};
  const messages: AsyncApiDocument['components']['messages'] = {};

  for (const type of PARTNER_EVENT_TYPES) {
    const contract = PartnerFeed.contractFor(type as PartnerEventType);
    const payloadName = contract.payload.name;
    const payload = all[payloadName];
    if (!payload) throw new Error(`No JSON Schema for ${payloadName} (the contract of ${type})`);
    schemas[payloadName] = payload;
    const envelopeName = `${payloadName}Envelope`;
    schemas[envelopeName] = envelopeSchema(payloadName);
    const key = channelKey(type);
    messages[key] = {
      name: key,
      title: type,
      summary: `A copy of ${type} for an organization party to the referral`,
      contentType: 'application/json',
      headers: {
        type: 'object',
        properties: { 'Nats-Msg-Id': { type: 'string', format: 'uuid', description: 'Equals the body’s id' } },
      },
      payload: { $ref: `${SCHEMAS}${envelopeName}` },
    };
    channels[key] = {
      address: names.subject(PartnerFeed.subject('{organizationId}', type)),
      title: type,
      description: `${type} events of referrals your organization is party to (sender, receiver, forward chain)`,
      parameters: { organizationId: { description: 'Your organization’s id: your credentials read only your own feed' } },
      messages: { [key]: { $ref: `#/components/messages/${key}` } },
    };
    operations[`receive.${key}`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${key}` },
      summary: `Receive ${type}`,
      messages: [{ $ref: `#/channels/${key}/messages/${key}` }],
    };
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'No Wrong Door — partner feeds',
      version,
      description: [
        `Each organization's feed of the referral events it is party to, on JetStream stream ${names.stream(PartnerFeed.stream)}.`,
        `Read it with a durable pull consumer named ${names.durable(PartnerFeed.durable('<organizationId>', 1))} … -${PartnerFeed.DURABLE_SLOTS} (your slots),`,
        `filtered to ${names.subject(PartnerFeed.filter('<organizationId>'))}; replay with a deliver policy (by start sequence or start time).`,
        'Delivery is at least once and in order per referral (`data.version`); messages carry ids and codes only: fetch the referral through the API.',
      ].join(' '),
    },
    defaultContentType: 'application/json',
    servers: {
      network: { host: hostOf(natsUrl), protocol: 'nats', description: 'The network’s NATS, with your organization’s credentials' },
    },
    channels,
    operations,
    components: { messages, schemas },
  };
}

function hostOf(natsUrl: string): string {
  const first = natsUrl.split(',')[0]!.trim();
  try {
    return new URL(first.includes('://') ? first : `nats://${first}`).host;
  } catch {
    return first;
  }
}
