import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { connect, JetStreamClient, JetStreamManager, NatsConnection } from 'nats';
import { BaseConfig } from '@nwd/config';

/**
 * The process's one NATS connection. Subjects and stream names go through `subject()` and
 * `stream()` so that a prefix (per test suite, or per network sharing a server) isolates them.
 */
@Injectable()
export class NatsClient implements OnApplicationShutdown {
  private readonly logger = new Logger(NatsClient.name);
  private jsm?: JetStreamManager;

  private constructor(
    readonly connection: NatsConnection,
    readonly prefix: string,
  ) {}

  static async connect(config: BaseConfig): Promise<NatsClient> {
    const connection = await connect({
      servers: config.NATS_URL.split(','),
      name: config.serviceName,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      pingInterval: 10_000,
    });
    return new NatsClient(connection, config.NWD_NATS_PREFIX);
  }

  get js(): JetStreamClient {
    return this.connection.jetstream();
  }

  async jetstreamManager(): Promise<JetStreamManager> {
    this.jsm ??= await this.connection.jetstreamManager();
    return this.jsm;
  }

  /** `referral.v1.requested` → `<prefix>.referral.v1.requested` */
  subject(subject: string): string {
    return this.prefix ? `${this.prefix}.${subject}` : subject;
  }

  /** Removes the prefix from a subject received from the server. */
  unprefixed(subject: string): string {
    return this.prefix && subject.startsWith(`${this.prefix}.`) ? subject.slice(this.prefix.length + 1) : subject;
  }

  /** `REFERRAL` → `<PREFIX>_REFERRAL` */
  stream(name: string): string {
    return this.prefix ? `${this.prefix.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}_${name}` : name;
  }

  /** Durable consumer names are per stream, but prefix them too so server-wide listings stay readable. */
  durable(name: string): string {
    return this.prefix ? `${this.prefix.replace(/[^a-zA-Z0-9_-]/g, '_')}_${name}` : name;
  }

  isConnected(): boolean {
    return !this.connection.isClosed() && this.connection.info !== undefined && !this.reconnecting;
  }

  private reconnecting = false;

  watchStatus(): void {
    void (async () => {
      for await (const status of this.connection.status()) {
        if (status.type === 'disconnect' || status.type === 'reconnecting') this.reconnecting = true;
        if (status.type === 'reconnect') this.reconnecting = false;
        this.logger.log({ msg: 'nats status', type: status.type, data: String(status.data) });
      }
    })();
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.connection.isClosed()) await this.connection.drain().catch(() => this.connection.close());
  }
}
