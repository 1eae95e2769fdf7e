import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { connect, credsAuthenticator, NatsConnection } from 'nats';
import { PARTNER_STREAM, PartnerFeed } from '@nwd/contracts';
import { DomainError } from '@nwd/errors';
import { CLAIMS_UPDATER_INBOX, IssuedPartnerCredentials, NatsNames, partnerInbox, PartnerIssuer } from '@nwd/messaging';
import { NotificationsConfig } from '../notifications.config';

/** Where and how a partner connects with its credentials: what its client needs besides the `.creds`. */
export interface PartnerConnectionDetails {
  servers: string[];
  inboxPrefix: string;
  stream: string;
  filter: string;
  durables: string[];
}

/** The network's NATS as the partner issuer sees it: signing partner users, and pushing their revocations. */
@Injectable()
export class PartnerNats implements OnApplicationShutdown {
  private readonly logger = new Logger(PartnerNats.name);
  private readonly issuer?: PartnerIssuer;
  private readonly names: NatsNames;
  private claims?: Promise<NatsConnection>;
  private readonly reconnectListeners: (() => void)[] = [];

  constructor(private readonly config: NotificationsConfig) {
    this.names = new NatsNames(config.NWD_NATS_PREFIX);
    if (config.NWD_PARTNER_NATS_ISSUER_FILE) this.issuer = PartnerIssuer.fromFile(config.NWD_PARTNER_NATS_ISSUER_FILE);
  }

  get configured(): boolean {
    return this.issuer !== undefined;
  }

  issue(organizationId: string): Promise<IssuedPartnerCredentials> {
    return this.requireIssuer().issue(organizationId, this.config.NWD_NATS_PREFIX);
  }

  connectionDetails(organizationId: string): PartnerConnectionDetails {
    const slots = Array.from({ length: PartnerFeed.DURABLE_SLOTS }, (_, i) => i + 1);
    return {
      servers: (this.config.NWD_PARTNER_NATS_URL || this.config.NATS_URL).split(','),
      inboxPrefix: partnerInbox(organizationId, this.config.NWD_NATS_PREFIX),
      stream: this.names.stream(PARTNER_STREAM.name),
      filter: this.names.subject(PartnerFeed.filter(organizationId)),
      durables: slots.map((slot) => this.names.durable(PartnerFeed.durable(organizationId, slot))),
    };
  }

  /** Pushes these revocations (public key → latest issue time refused, seconds) to the server; returns how many it lacked. */
  async revoke(revoked: Record<string, number>): Promise<number> {
    const issuer = this.requireIssuer();
    return issuer.revoke(await this.claimsConnection(), revoked);
  }

  /**
   * Called whenever the claims connection reconnects: the server may have restarted from a
   * configuration whose account JWT lacks the partners' revocations.
   */
  onReconnect(listener: () => void): void {
    this.reconnectListeners.push(listener);
  }

  private requireIssuer(): PartnerIssuer {
    if (!this.issuer) throw DomainError.unavailable('notifications.partner-nats-unavailable', 'This network issues no partner NATS credentials (NWD_PARTNER_NATS_ISSUER_FILE is not set)');
    return this.issuer;
  }

  private claimsConnection(): Promise<NatsConnection> {
    this.claims ??= connect({
      servers: this.config.NATS_URL.split(','),
      name: `${this.config.serviceName}-claims-updater`,
      authenticator: credsAuthenticator(new TextEncoder().encode(this.requireIssuer().material.claimsUpdaterCreds)),
      ...(this.config.NWD_NATS_CA_FILE ? { tls: { caFile: this.config.NWD_NATS_CA_FILE } } : {}),
      inboxPrefix: CLAIMS_UPDATER_INBOX,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
    }).then((connection) => {
      void (async () => {
        for await (const status of connection.status()) if (status.type === 'reconnect') for (const listener of this.reconnectListeners) listener();
      })();
      return connection;
    }, (error: unknown) => {
      this.claims = undefined;
      throw error;
    });
    return this.claims;
  }

  async onApplicationShutdown(): Promise<void> {
    const claims = await this.claims?.catch(() => undefined);
    await claims?.close().catch((error: Error) => this.logger.warn(`closing the claims updater connection: ${error.message}`));
  }
}
