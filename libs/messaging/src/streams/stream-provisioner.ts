import { Injectable, Logger } from '@nestjs/common';
import { DiscardPolicy, nanos, RetentionPolicy, StorageType, StreamConfig } from 'nats';
import { STREAMS, StreamDefinition, streamOwner } from '@nwd/contracts';
import { NatsClient } from '../nats/nats-client';

/** Re-publishes of the same event id inside this window are dropped by the server (≥ 1 hour, as the relay may be down that long). */
export const DUPLICATE_WINDOW_MS = 2 * 60 * 60 * 1000;

/** How often a reader looks for a stream its owner has not created yet. */
const WAIT_POLL_MS = 500;

/**
 * Creates or updates streams at boot, each by its owner only (`NETWORK_MESSAGING` in
 * libs/contracts; the others' credentials may not change it). A reader of another service's
 * stream never creates it: `whenAvailable()` waits for the owner's first boot, so services still
 * start in any order. The shared DLQ is created by whoever parks first and never changed.
 */
@Injectable()
export class StreamProvisioner {
  private readonly logger = new Logger(StreamProvisioner.name);
  private readonly ensured = new Set<string>();
  private stopped = false;

  constructor(private readonly nats: NatsClient) {}

  /** Provisions the streams this service owns (or that no network service owns); leaves the others' to them. */
  async ensure(definitions: StreamDefinition[]): Promise<void> {
    const jsm = await this.nats.jetstreamManager();
    for (const definition of definitions) {
      const name = this.nats.stream(definition.name);
      if (this.ensured.has(name) || !this.mayProvision(definition)) continue;
      const config = this.config(definition);
      const shared = definition.name === STREAMS.DLQ.name;
      try {
        await jsm.streams.info(name);
        if (!shared) await jsm.streams.update(name, config);
      } catch (error) {
        if (!isNotFound(error)) throw error;
        try {
          await jsm.streams.add(config);
          this.logger.log({ msg: 'stream created', stream: name });
        } catch (addError) {
          // Created between our info and add (another instance, or another parker of the DLQ).
          if (!/already in use/i.test(String(addError))) throw addError;
          if (!shared) await jsm.streams.update(name, config);
        }
      }
      this.ensured.add(name);
    }
  }

  /** Whether the stream exists now (a reader's view: its owner may not have booted yet). */
  async exists(definition: StreamDefinition): Promise<boolean> {
    const jsm = await this.nats.jetstreamManager();
    try {
      await jsm.streams.info(this.nats.stream(definition.name));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  /** Resolves once the stream exists (at once when it does); false if the service stopped first. */
  async whenAvailable(definition: StreamDefinition): Promise<boolean> {
    let logged = false;
    while (!this.stopped) {
      if (await this.exists(definition).catch(() => false)) return true;
      if (!logged) {
        this.logger.log({ msg: 'waiting for a stream its owner has not created yet', stream: definition.name, owner: streamOwner(definition.name) });
        logged = true;
      }
      await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS).unref());
    }
    return false;
  }

  /** Ends every wait (at shutdown). */
  stop(): void {
    this.stopped = true;
  }

  private mayProvision(definition: StreamDefinition): boolean {
    const owner = streamOwner(definition.name);
    return owner === undefined || owner === this.nats.service;
  }

  private config(definition: StreamDefinition): Partial<StreamConfig> {
    return {
      name: this.nats.stream(definition.name),
      description: definition.description,
      subjects: definition.subjects.map((s) => this.nats.subject(s)),
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
      duplicate_window: nanos(DUPLICATE_WINDOW_MS),
      num_replicas: 1,
    };
  }
}

function isNotFound(error: unknown): boolean {
  return /stream not found/i.test(String((error as Error)?.message ?? error));
}
