import { Injectable, Logger } from '@nestjs/common';
import { DiscardPolicy, nanos, RetentionPolicy, StorageType, StreamConfig } from 'nats';
import { StreamDefinition } from '@nwd/contracts';
import { NatsClient } from '../nats/nats-client';

/** Re-publishes of the same event id inside this window are dropped by the server (≥ 1 hour, as the relay may be down that long). */
export const DUPLICATE_WINDOW_MS = 2 * 60 * 60 * 1000;

/**
 * Creates or updates streams at boot. Publishers and consumers of a stream both provision it with
 * the same definition from libs/contracts, so start-up order between services does not matter.
 */
@Injectable()
export class StreamProvisioner {
  private readonly logger = new Logger(StreamProvisioner.name);
  private readonly ensured = new Set<string>();

  constructor(private readonly nats: NatsClient) {}

  async ensure(definitions: StreamDefinition[]): Promise<void> {
    const jsm = await this.nats.jetstreamManager();
    for (const definition of definitions) {
      const name = this.nats.stream(definition.name);
      if (this.ensured.has(name)) continue;
      const config: Partial<StreamConfig> = {
        name,
        description: definition.description,
        subjects: definition.subjects.map((s) => this.nats.subject(s)),
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
        discard: DiscardPolicy.Old,
        duplicate_window: nanos(DUPLICATE_WINDOW_MS),
        num_replicas: 1,
      };
      try {
        await jsm.streams.info(name);
        await jsm.streams.update(name, config);
      } catch (error) {
        if (!isNotFound(error)) throw error;
        try {
          await jsm.streams.add(config);
          this.logger.log({ msg: 'stream created', stream: name });
        } catch (addError) {
          // Another service created it between our info and add: converge on update.
          if (!/already in use/i.test(String(addError))) throw addError;
          await jsm.streams.update(name, config);
        }
      }
      this.ensured.add(name);
    }
  }
}

function isNotFound(error: unknown): boolean {
  return /stream not found/i.test(String((error as Error)?.message ?? error));
}
