import { isNetworkService, NETWORK_MESSAGING, NETWORK_SERVICES, NetworkService, PARTNER_STREAM, PartnerFeed, requestSubject, STREAMS } from '@nwd/contracts';
import { NatsNames } from '../nats/nats-names';

/** Publish/subscribe permissions as a NATS user JWT carries them. */
export interface NatsPermissions {
  pub: { allow: string[] };
  sub: { allow: string[] };
  /** Lets a responder publish one reply to the reply subject of a request it received, and nothing else there. */
  resp?: { max: number; ttl: number };
}

const API = '$JS.API';

/**
 * What one service's connection may do, derived from `NETWORK_MESSAGING` for a prefix:
 * publish its own events, create and update only its own streams, ask the requests it asks,
 * answer only its own requests, read its own replies, and run only its declared consumers
 * (create with their exact filter, fetch, ack) on the streams it reads. Nothing else: the
 * server refuses the rest with a permissions violation.
 */
export function servicePermissions(service: NetworkService, prefix: string): NatsPermissions {
  const names = new NatsNames(prefix);
  const declared = NETWORK_MESSAGING[service];
  const pub = new Set<string>([`${API}.INFO`]);
  const sub = new Set<string>([`${names.inbox(service)}.>`]);

  for (const streamName of declared.owns) {
    const stream = names.stream(streamName);
    for (const action of ['CREATE', 'UPDATE', 'INFO']) pub.add(`${API}.STREAM.${action}.${stream}`);
    for (const subject of STREAMS[streamName].subjects) pub.add(names.subject(subject));
  }

  for (const streamName of declared.follows) {
    const stream = names.stream(streamName);
    pub.add(`${API}.STREAM.INFO.${stream}`);
    // Ordered consumers are named at random, so the name is a wildcard; `*` is one token, which
    // covers unfiltered consumers only (a filtered durable's create subject has one token more).
    pub.add(`${API}.CONSUMER.CREATE.${stream}.*`);
    pub.add(`${API}.CONSUMER.MSG.NEXT.${stream}.*`);
  }

  if (declared.consumers.length) {
    // DLQ is shared: any parking service may create it, none may change or purge it.
    const dlq = names.stream(STREAMS.DLQ.name);
    pub.add(`${API}.STREAM.CREATE.${dlq}`);
    pub.add(`${API}.STREAM.INFO.${dlq}`);
  }
  for (const { contract, durable } of declared.consumers) {
    const stream = names.stream(contract.stream.name);
    const name = names.durable(durable);
    pub.add(`${API}.STREAM.INFO.${stream}`);
    pub.add(`${API}.CONSUMER.CREATE.${stream}.${name}.${names.subject(contract.subject)}`);
    pub.add(`${API}.CONSUMER.INFO.${stream}.${name}`);
    pub.add(`${API}.CONSUMER.MSG.NEXT.${stream}.${name}`);
    pub.add(`$JS.ACK.${stream}.${name}.>`);
    pub.add(names.subject(`dlq.${durable}`));
  }

  for (const streamName of declared.supervises ?? []) {
    const stream = names.stream(streamName);
    pub.add(`${API}.CONSUMER.LIST.${stream}`);
    pub.add(`${API}.CONSUMER.DELETE.${stream}.*`);
  }

  for (const contract of declared.listens ?? []) sub.add(names.subject(contract.subject));
  for (const contract of declared.asks) pub.add(names.subject(requestSubject(contract)));
  for (const contract of declared.answers) sub.add(names.subject(requestSubject(contract)));

  return {
    pub: { allow: [...pub] },
    sub: { allow: [...sub] },
    ...(declared.answers.length ? { resp: { max: 1, ttl: 0 } } : {}),
  };
}

/** A partner organization's reply subjects (`_INBOX.<prefix>.partner.<organizationId>`); its client sets this `inboxPrefix`. */
export function partnerInbox(organizationId: string, prefix: string): string {
  return new NatsNames(prefix).inbox(`partner.${organizationId}`);
}

/**
 * What a partner organization's connection may do: run its own durable consumers
 * (`PartnerFeed.durable(organizationId, 1…DURABLE_SLOTS)`) on PARTNER with a filter inside its
 * own feed, fetch from them, ack, read and delete them, and hear its own replies. Nothing else:
 * no core subscription to any feed (its messages come through its consumers' replies), no
 * stream API at all (info, list, names, direct or message get would show other feeds), no
 * consumer list or names, no `$JS.API.INFO` (clients connect with `checkAPI: false`), no publish
 * beyond these (outcomes go through the HTTP API).
 *
 * The consumer create subject names the filter (`$JS.API.CONSUMER.CREATE.<stream>.<name>.<filter>`,
 * and the server refuses a body whose filter or name differs from it), so the filter is bound
 * to the organization's feed. The older `$JS.API.CONSUMER.DURABLE.CREATE.<stream>.<durable>`
 * carries the filter only in its body and is therefore refused: allowing it would let an
 * organization point its own durable at another's feed.
 */
export function partnerPermissions(organizationId: string, prefix: string): NatsPermissions {
  const names = new NatsNames(prefix);
  const stream = names.stream(PARTNER_STREAM.name);
  const filter = names.subject(PartnerFeed.filter(organizationId));
  const pub: string[] = [];
  for (let slot = 1; slot <= PartnerFeed.DURABLE_SLOTS; slot++) {
    const durable = names.durable(PartnerFeed.durable(organizationId, slot));
    pub.push(
      `${API}.CONSUMER.CREATE.${stream}.${durable}.${filter}`,
      `${API}.CONSUMER.MSG.NEXT.${stream}.${durable}`,
      `${API}.CONSUMER.INFO.${stream}.${durable}`,
      `${API}.CONSUMER.DELETE.${stream}.${durable}`,
      `$JS.ACK.${stream}.${durable}.>`,
    );
  }
  return { pub: { allow: pub }, sub: { allow: [`${partnerInbox(organizationId, prefix)}.>`] } };
}

/**
 * Checks the declarations the permissions rest on: a followed stream's wildcard consumer name
 * must not reach another service's durable, durables are named after their service (their DLQ
 * subjects cannot collide), and each request has exactly one answering service.
 */
export function checkNetworkMessaging(): void {
  const problems: string[] = [];
  const answered = new Map<string, NetworkService>();
  for (const service of NETWORK_SERVICES) {
    const declared = NETWORK_MESSAGING[service];
    for (const { durable, contract } of declared.consumers) {
      if (!durable.startsWith(`${service}-`)) problems.push(`${service}: durable ${durable} must start with "${service}-"`);
      for (const other of NETWORK_SERVICES) {
        if (other !== service && (NETWORK_MESSAGING[other].follows as readonly string[]).includes(contract.stream.name)) {
          problems.push(`${other} follows ${contract.stream.name}, where ${service} has the durable ${durable}`);
        }
      }
    }
    for (const contract of declared.answers) {
      const previous = answered.get(contract.subject);
      if (previous) problems.push(`${contract.subject} is answered by both ${previous} and ${service}`);
      answered.set(contract.subject, service);
    }
  }
  if (problems.length) throw new Error(`NETWORK_MESSAGING is inconsistent: ${problems.join('; ')}`);
}

/**
 * The consumers and responders a network service runs that its declaration lacks (its
 * credentials would refuse them at run time, far from the cause). Services outside the network
 * (tests' probes) have no declaration to keep to.
 */
export function undeclaredMessaging(service: string, consumers: { durable: string; subject: string }[], responders: string[]): string[] {
  if (!isNetworkService(service)) return [];
  const declared = NETWORK_MESSAGING[service];
  return [
    ...consumers
      .filter((c) => !declared.consumers.some((d) => d.durable === c.durable && d.contract.subject === c.subject))
      .map((c) => `consumer ${c.durable} of ${c.subject}`),
    ...responders.filter((subject) => !declared.answers.some((a) => a.subject === subject)).map((subject) => `responder of ${subject}`),
  ];
}
