import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional, Inject } from '@nestjs/common';
import { Subscription } from 'nats';
import { ConsentDecision, ConsentEvents, ConsentRequests, DecideRequest, EventEnvelope, IdentityEvents } from '@nwd/contracts';
import { MessagingClient, NatsClient } from '@nwd/messaging';

export interface DecisionCacheOptions {
  /** How long a decision is reused when no event says otherwise (a safety net for a lost event, not the mechanism). */
  ttlMs: number;
  maxEntries: number;
  now: () => number;
}

export const DECISION_CACHE_OPTIONS = Symbol('DECISION_CACHE_OPTIONS');
const DEFAULTS: DecisionCacheOptions = { ttlMs: 30_000, maxEntries: 10_000, now: () => Date.now() };
const decoder = new TextDecoder();

/** The events that change what a client's consents allow; a protections change may change anyone's. */
export const INVALIDATING_EVENTS = [ConsentEvents.granted, ConsentEvents.revoked, ConsentEvents.expired, ConsentEvents.clientMerged] as const;

interface Entry {
  decision: ConsentDecision;
  clientId: string;
  until: number;
}

/**
 * Asks the consent service's `decide` and remembers the answer, for services that decide often
 * (lists, feeds). Every consent event drops the entries of its client as it is published — core
 * NATS, no stream replay, so within milliseconds — and a protections change drops all of them.
 * A decision asked before an event but answered after it is not kept. If the connection drops,
 * events may be missed: the cache empties itself when it reconnects. It never records a
 * disclosure: reads that carry personal data go through `disclose`.
 */
@Injectable()
export class ConsentDecisionCache implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ConsentDecisionCache.name);
  private readonly entries = new Map<string, Entry>();
  /** Bumped for a client by each of its events (and for everyone by a protections change or a reconnect). */
  private readonly generations = new Map<string, number>();
  private epoch = 0;
  private readonly subscriptions: Subscription[] = [];
  private readonly options: DecisionCacheOptions;

  constructor(
    private readonly messaging: MessagingClient,
    private readonly nats: NatsClient,
    @Optional() @Inject(DECISION_CACHE_OPTIONS) options?: Partial<DecisionCacheOptions>,
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  get size(): number {
    return this.entries.size;
  }

  onApplicationBootstrap(): void {
    this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    this.subscriptions.length = 0;
  }

  async decide(request: DecideRequest): Promise<ConsentDecision> {
    const key = keyOf(request);
    const now = this.options.now();
    const hit = this.entries.get(key);
    if (hit && hit.until > now) return hit.decision;
    const generation = this.generationOf(request.clientId);
    const decision = await this.messaging.request(ConsentRequests.decide, request);
    if (this.generationOf(request.clientId) === generation) this.remember(key, { decision, clientId: request.clientId, until: now + this.options.ttlMs });
    return decision;
  }

  /** Whether a decision for this exact question is held now (for tests and metrics). */
  holds(request: DecideRequest): boolean {
    const entry = this.entries.get(keyOf(request));
    return entry !== undefined && entry.until > this.options.now();
  }

  forgetClient(clientId: string): void {
    // Bounded: past the limit, forgetting everything is the safe way to forget which clients changed.
    if (this.generations.size >= this.options.maxEntries) {
      this.generations.clear();
      this.forgetAll();
    }
    this.generations.set(clientId, (this.generations.get(clientId) ?? 0) + 1);
    for (const [key, entry] of this.entries) if (entry.clientId === clientId) this.entries.delete(key);
  }

  forgetAll(): void {
    this.epoch++;
    this.entries.clear();
  }

  /** Subscribes to the invalidating subjects; separate from boot so a test can start a cache of its own. */
  listen(): void {
    for (const contract of INVALIDATING_EVENTS) {
      this.subscriptions.push(this.nats.connection.subscribe(this.nats.subject(contract.subject), { callback: (_e, message) => this.onConsentEvent(message.data) }));
    }
    const protections = IdentityEvents.organizationProtectionsChanged.subject;
    this.subscriptions.push(this.nats.connection.subscribe(this.nats.subject(protections), { callback: () => this.forgetAll() }));
    void (async () => {
      for await (const status of this.nats.connection.status()) if (status.type === 'reconnect') this.forgetAll();
    })();
  }

  private onConsentEvent(data: Uint8Array): void {
    try {
      const envelope = JSON.parse(decoder.decode(data)) as EventEnvelope<Record<string, unknown>>;
      for (const field of ['clientId', 'survivingClientId', 'mergedClientId']) {
        const clientId = envelope.data?.[field];
        if (typeof clientId === 'string') this.forgetClient(clientId);
      }
    } catch (error) {
      // An event we cannot read may have been about anyone.
      this.logger.warn({ msg: 'unreadable consent event: cache cleared', err: String(error) });
      this.forgetAll();
    }
  }

  private generationOf(clientId: string): string {
    return `${this.epoch}:${this.generations.get(clientId) ?? 0}`;
  }

  private remember(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    // Map order is insertion order: the first key is the oldest.
    while (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}

function keyOf(request: DecideRequest): string {
  return JSON.stringify([
    request.clientId,
    request.recipientOrganizationId,
    request.purpose,
    [...request.categories].sort(),
    [...request.sourceOrganizationIds].sort(),
    request.channel ?? null,
  ]);
}
