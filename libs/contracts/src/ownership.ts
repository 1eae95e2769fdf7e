import { ConsentEvents } from './consent/consent.events';
import { ConsentRequests } from './consent/consent.requests';
import { IdentityEvents } from './identity/identity.events';
import { EventContract, RequestContract, StreamName } from './contract';
import { DirectoryEvents, DirectoryServiceRequests } from './directory/listing.events';
import { DirectoryRequests } from './directory/organization.requests';
import { REFERRAL_EVENT_FAMILY } from './referral/referral.family';

export const NETWORK_SERVICES = ['directory', 'referral', 'consent', 'notifications', 'reporting'] as const;
export type NetworkService = (typeof NETWORK_SERVICES)[number];

/** A durable consumer of one event; its name is also its DLQ subject (`dlq.<durable>`). */
export interface DeclaredConsumer {
  readonly contract: EventContract<object>;
  readonly durable: string;
}

/**
 * What a service may do on NATS. Each service's credentials are generated from this and nothing
 * else, so a subject it does not own here is one its connection cannot publish to (or, for a
 * request, answer); a consumer or request missing here is refused by the server at run time.
 */
export interface ServiceMessaging {
  /** Streams it creates, updates and alone publishes to. */
  readonly owns: readonly StreamName[];
  /** Requests it answers: only it may subscribe to their `rpc.` subjects. */
  readonly answers: readonly RequestContract<object, object>[];
  /** Requests it asks (publishes to `rpc.<subject>`). */
  readonly asks: readonly RequestContract<object, object>[];
  /** Its durable consumers: consumer-create, next-message and ack on these names only. */
  readonly consumers: readonly DeclaredConsumer[];
  /** Streams it replays from the start into memory (ordered consumers, e.g. the deny-list of IDENTITY). */
  readonly follows: readonly StreamName[];
  /**
   * Events it hears as they are published, on core NATS (no replay, no acknowledgement): what a
   * cache needs to drop entries at once, e.g. the consent decision cache.
   */
  readonly listens?: readonly EventContract<object>[];
  /**
   * Streams whose consumers it may list and delete, whoever made them: partners create their own
   * consumers on PARTNER, and a push consumer's deliver subject is not a permission the server
   * checks, so the notifications service removes those.
   */
  readonly supervises?: readonly StreamName[];
}

/** What a consent decision cache listens to (libs/consent-client): a service using one declares `listens: CONSENT_DECISION_CACHE`. */
export const CONSENT_DECISION_CACHE: readonly EventContract<object>[] = [
  ConsentEvents.granted,
  ConsentEvents.revoked,
  ConsentEvents.expired,
  ConsentEvents.clientMerged,
  IdentityEvents.organizationProtectionsChanged,
];

export const NETWORK_MESSAGING: Record<NetworkService, ServiceMessaging> = {
  directory: {
    owns: ['IDENTITY', 'DIRECTORY'],
    answers: [DirectoryRequests.getOrganization, DirectoryServiceRequests.getService],
    asks: [],
    consumers: [],
    follows: ['IDENTITY'],
  },
  referral: {
    owns: ['REFERRAL'],
    answers: [],
    asks: [DirectoryRequests.getOrganization, DirectoryServiceRequests.getService, ConsentRequests.registerReferralClient, ConsentRequests.decide, ConsentRequests.disclose, ConsentRequests.discloseBatch, ConsentRequests.registerReferralClientBatch, ConsentRequests.handOverClients],
    consumers: [
      { contract: DirectoryEvents.capacityChanged, durable: 'referral-service-capacity' },
      { contract: DirectoryEvents.serviceUpdated, durable: 'referral-service-updates' },
      { contract: ConsentEvents.revoked, durable: 'referral-consent-revoked' },
      { contract: ConsentEvents.expired, durable: 'referral-consent-expired' },
      { contract: ConsentEvents.clientMerged, durable: 'referral-client-merged' },
    ],
    follows: ['IDENTITY'],
  },
  consent: {
    owns: ['CONSENT'],
    answers: [ConsentRequests.registerReferralClient, ConsentRequests.decide, ConsentRequests.disclose, ConsentRequests.discloseBatch, ConsentRequests.registerReferralClientBatch, ConsentRequests.handOverClients],
    asks: [DirectoryRequests.getOrganization],
    consumers: [],
    follows: ['IDENTITY'],
  },
  notifications: {
    owns: ['PARTNER'],
    answers: [],
    asks: [ConsentRequests.decide, ConsentRequests.disclose],
    consumers: [
      // Whole-stream consumers: what they write depends on the order across event types.
      { contract: REFERRAL_EVENT_FAMILY, durable: 'notifications-referral-parties' },
      { contract: REFERRAL_EVENT_FAMILY, durable: 'notifications-partner-feeds' },
      { contract: REFERRAL_EVENT_FAMILY, durable: 'notifications-email-inbox' },
      { contract: REFERRAL_EVENT_FAMILY, durable: 'notifications-webhooks' },
    ],
    follows: ['IDENTITY'],
    listens: CONSENT_DECISION_CACHE,
    supervises: ['PARTNER'],
  },
  reporting: { owns: [], answers: [], asks: [], consumers: [], follows: ['IDENTITY'] },
};

export function isNetworkService(name: string): name is NetworkService {
  return (NETWORK_SERVICES as readonly string[]).includes(name);
}

/** The service whose events a stream holds; undefined for the shared DLQ (and streams outside the network, e.g. tests'). */
export function streamOwner(stream: string): NetworkService | undefined {
  return NETWORK_SERVICES.find((service) => (NETWORK_MESSAGING[service].owns as readonly string[]).includes(stream));
}
