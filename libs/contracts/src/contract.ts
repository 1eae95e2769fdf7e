// Nested contract classes (@Type) read design-time metadata, so it must be loaded wherever a contract is.
import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';

/** A JetStream stream: its unprefixed name and the subjects it captures. */
export interface StreamDefinition {
  readonly name: string;
  readonly subjects: readonly string[];
  readonly description: string;
}

/**
 * JetStream streams of the network. Each service publishes to its own (`NETWORK_MESSAGING` says
 * whose); DLQ is shared, and each service parks only under `dlq.<durable>` of its own consumers.
 */
export const STREAMS = {
  IDENTITY: { name: 'IDENTITY', subjects: ['identity.v1.>'], description: 'Network membership: organizations and API clients' },
  REFERRAL: { name: 'REFERRAL', subjects: ['referral.v1.>'], description: 'The referral loop' },
  DIRECTORY: { name: 'DIRECTORY', subjects: ['directory.v1.>'], description: 'Resource directory listings and capacity' },
  CONSENT: { name: 'CONSENT', subjects: ['consent.v1.>'], description: 'Consents granted, revoked and expired; client merges (ids and codes only)' },
  PARTNER: { name: 'PARTNER', subjects: ['partner.>'], description: "Each organization's feed of the referral events it is party to (ids and codes only)" },
  DLQ: { name: 'DLQ', subjects: ['dlq.>'], description: 'Messages parked after their last delivery, with the error' },
} as const satisfies Record<string, StreamDefinition>;
export type StreamName = keyof typeof STREAMS;

export function resolveStream(stream: StreamName | StreamDefinition): StreamDefinition {
  return typeof stream === 'string' ? STREAMS[stream] : stream;
}

/** A durable event: published through the outbox onto a JetStream stream. */
export interface EventContract<P extends object> {
  readonly kind: 'event';
  /** Unprefixed subject, e.g. `referral.v1.requested`; the version is part of the subject. */
  readonly subject: string;
  readonly stream: StreamDefinition;
  readonly payload: new () => P;
}

/**
 * Several events of one stream that one consumer reads together, in stream order: what a
 * consumer needs whose effects depend on the order across types (a referral's `requested` before
 * its `accepted`). NATS 2.9 has no multi-filter consumers, so the members share the family's
 * wildcard subject (`referral.v1.>`). `payload` is the members' common base class; each message is
 * validated against its own member's.
 */
export interface EventFamily<P extends object = object> extends EventContract<P> {
  readonly members: readonly EventContract<P>[];
}

export function defineEventFamily<P extends object>(
  subject: string,
  stream: StreamName | StreamDefinition,
  payload: new () => P,
  members: readonly EventContract<P>[],
): EventFamily<P> {
  const definition = resolveStream(stream);
  if (!subject.endsWith('.>')) throw new Error(`An event family subject ends with ".>": ${subject}`);
  const prefix = subject.slice(0, -1);
  for (const member of members) {
    if (!member.subject.startsWith(prefix) || member.stream.name !== definition.name) {
      throw new Error(`Event ${member.subject} is not in family ${subject} on ${definition.name}`);
    }
  }
  return Object.freeze({ kind: 'event', subject, stream: definition, payload, members: Object.freeze([...members]) });
}

export function isEventFamily(contract: EventContract<object>): contract is EventFamily {
  return Array.isArray((contract as EventFamily).members);
}

/** A request/reply exchange over core NATS, for questions that need an answer now. */
export interface RequestContract<Q extends object, R extends object> {
  readonly kind: 'request';
  readonly subject: string;
  readonly request: new () => Q;
  readonly response: new () => R;
}

export function defineEvent<P extends object>(
  subject: string,
  stream: StreamName | StreamDefinition,
  payload: new () => P,
): EventContract<P> {
  const definition = resolveStream(stream);
  const owning = definition.subjects.some((pattern) => subject.startsWith(pattern.replace(/>$/, '')));
  if (!owning) throw new Error(`Event subject ${subject} is not covered by stream ${definition.name}`);
  return Object.freeze({ kind: 'event', subject, stream: definition, payload });
}

export function defineRequest<Q extends object, R extends object>(
  subject: string,
  request: new () => Q,
  response: new () => R,
): RequestContract<Q, R> {
  return Object.freeze({ kind: 'request', subject, request, response });
}

/**
 * Requests travel under `rpc.`: a request on a subject a stream captures (`directory.v1.>`) would
 * be stored by JetStream, which would also answer it with a publish ack.
 */
export function requestSubject(contract: RequestContract<object, object>): string {
  return `rpc.${contract.subject}`;
}

/**
 * What travels on the wire: ids, codes and timestamps only — never personal data. Partners fetch
 * details through the authorized API.
 */
export interface EventEnvelope<P extends object> {
  /** UUIDv7; also the JetStream `Nats-Msg-Id`, so a re-publish is de-duplicated. */
  id: string;
  /** The unprefixed subject, e.g. `referral.v1.accepted`. */
  type: string;
  /** The service that wrote the event. */
  source: string;
  occurredAt: string;
  /** The request that caused it, carried on to whatever handles it. */
  requestId?: string;
  data: P;
}

export class ContractViolation extends Error {
  constructor(
    readonly subject: string,
    readonly errors: { field: string; messages: string[] }[],
  ) {
    super(`Message for ${subject} violates its contract: ${errors.map((e) => `${e.field} (${e.messages.join('; ')})`).join(', ')}`);
    this.name = 'ContractViolation';
  }
}

/** Validates a payload against its contract class (on publish and on consume); returns the typed instance. */
export function validateMessage<P extends object>(subject: string, schema: new () => P, data: unknown): P {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ContractViolation(subject, [{ field: '', messages: ['payload must be an object'] }]);
  }
  const instance = plainToInstance(schema, data);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length) throw new ContractViolation(subject, flatten(errors));
  return instance;
}

function flatten(errors: ValidationError[], parent = ''): { field: string; messages: string[] }[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
