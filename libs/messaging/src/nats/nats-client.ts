import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { connect, credsAuthenticator, JetStreamClient, JetStreamManager, NatsConnection } from 'nats';
import { BaseConfig } from '@nwd/config';
import { NatsNames } from './nats-names';

/**
 * The process's one NATS connection. Subjects and stream names go through `subject()` and
 * `stream()` so that a prefix (per test suite, or per network sharing a server) isolates them.
 */
@Injectable()
export class NatsClient implements OnApplicationShutdown {
  private readonly logger = new Logger(NatsClient.name);
  private jsm?: JetStreamManager;

  readonly names: NatsNames;

  private constructor(
    readonly connection: NatsConnection,
    readonly prefix: string,
    /** The service this connection speaks for (its credentials' owner). */
    readonly service: string,
  ) {
    this.names = new NatsNames(prefix);
  }

  static async connect(config: BaseConfig): Promise<NatsClient> {
    const connection = await connect({
      servers: config.NATS_URL.split(','),
      name: config.serviceName,
      // The service's own credentials (a user JWT whose permissions say what it may publish and read).
      ...(config.NWD_NATS_CREDS_FILE ? { authenticator: credsAuthenticator(readFileSync(config.NWD_NATS_CREDS_FILE)) } : {}),
      ...(config.NWD_NATS_CA_FILE ? { tls: { caFile: config.NWD_NATS_CA_FILE } } : {}),
      // Its permissions let it read replies under this prefix only.
      inboxPrefix: new NatsNames(config.NWD_NATS_PREFIX).inbox(config.serviceName),
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      pingInterval: 10_000,
    });
    return new NatsClient(connection, config.NWD_NATS_PREFIX, config.serviceName);
  }

  get js(): JetStreamClient {
    return this.connection.jetstream();
  }

  async jetstreamManager(): Promise<JetStreamManager> {
    this.jsm ??= await this.connection.jetstreamManager();
    return this.jsm;
  }

  subject(subject: string): string {
    return this.names.subject(subject);
  }

  unprefixed(subject: string): string {
    return this.names.unprefixed(subject);
  }

  stream(name: string): string {
    return this.names.stream(name);
  }

  durable(name: string): string {
    return this.names.durable(name);
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
        // The client reports every ping it times: routine, so not at info in every service's log.
        const entry = { msg: 'nats status', type: status.type, data: String(status.data) };
        if (status.type === 'pingTimer') this.logger.debug(entry);
        else this.logger.log(entry);
      }
    })();
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.connection.isClosed()) await this.connection.drain().catch(() => this.connection.close());
  }
}
