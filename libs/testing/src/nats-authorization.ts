import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, ConnectionOptions, credsAuthenticator, NatsConnection } from 'nats';
import type { NetworkService } from '@nwd/contracts';
import { createUser } from '@nats-io/jwt';
import { CLAIMS_UPDATER_INBOX, CredentialStore, NatsNames, NatsPermissions, PartnerIssuer, userCredentials } from '@nwd/messaging';
import { TestNatsServer } from './nats-server';

/**
 * A test-owned nats-server running the network's authorization, configured by the same
 * generator as `npm start` and docker-compose (`CredentialStore`), with its own keys. Services
 * booted against it get their own `.creds` for their suite's prefix.
 */
export class AuthorizedNatsServer {
  private constructor(
    private readonly server: TestNatsServer,
    private readonly store: CredentialStore,
    private readonly dir: string,
    private readonly tls?: { certFile: string; keyFile: string },
  ) {}

  static async start({ tls }: { tls?: { certFile: string; keyFile: string } } = {}): Promise<AuthorizedNatsServer> {
    const dir = mkdtempSync(join(tmpdir(), 'nwd-nats-auth-'));
    const store = new CredentialStore(dir);
    const { serverConfig } = await store.write({ host: '127.0.0.1', port: 4222, tls });
    // The command line gives the test's own port and store; the rest is the generated configuration.
    const server = await TestNatsServer.start(['-c', serverConfig]);
    return new AuthorizedNatsServer(server, store, dir, tls);
  }

  /** New credentials for these services, the old ones revoked; the server restarts with the new configuration. */
  async rotate(services: NetworkService[]): Promise<void> {
    this.store.rotate(services);
    await this.store.write({ host: '127.0.0.1', port: 4222, tls: this.tls });
    await this.server.stop();
    await this.server.restart();
  }

  /** Stops and starts the server with the configuration it has (what it was sent at run time stays in its resolver's store). */
  async restart(): Promise<void> {
    await this.server.stop();
    await this.server.restart();
  }

  get url(): string {
    return this.server.url;
  }

  /** Writes a service's `.creds` for a prefix and returns the file's path. */
  async credentialsFile(service: NetworkService, prefix: string): Promise<string> {
    const file = join(this.dir, `${prefix || 'default'}.${service}.creds`);
    writeFileSync(file, await this.store.credentials(service, prefix), { mode: 0o600 });
    return file;
  }

  /** A connection with a service's credentials (or none), replying under that service's inbox. */
  async connect(service: NetworkService | undefined, prefix: string): Promise<NatsConnection> {
    if (!service) return connect({ servers: this.url, reconnect: false });
    return connect({
      servers: this.url,
      authenticator: credsAuthenticator(new TextEncoder().encode(await this.store.credentials(service, prefix))),
      inboxPrefix: new NatsNames(prefix).inbox(service),
      reconnect: false,
    });
  }

  /** Writes what the notifications service issues partner credentials with (`partner-issuer.json`) and returns its path. */
  async partnerIssuerFile(): Promise<string> {
    const file = join(this.dir, 'partner-issuer.json');
    writeFileSync(file, JSON.stringify(await this.store.partnerIssuer()), { mode: 0o600 });
    return file;
  }

  async partnerIssuer(): Promise<PartnerIssuer> {
    return new PartnerIssuer(await this.store.partnerIssuer());
  }

  /** A connection as the claims updater (the system account user that pushes account JWTs). */
  async claimsConnection(): Promise<NatsConnection> {
    const { claimsUpdaterCreds } = await this.store.partnerIssuer();
    return this.connectWith(claimsUpdaterCreds, { inboxPrefix: CLAIMS_UPDATER_INBOX });
  }

  /** A test's own user of the network account with exactly these permissions (e.g. one that provisions PARTNER). */
  async connectWithPermissions(name: string, permissions: NatsPermissions, options: Partial<ConnectionOptions> = {}): Promise<NatsConnection> {
    return this.connectWith(await userCredentials(this.store.load().keys, name, createUser(), permissions), options);
  }

  /** A connection with any `.creds` text (a partner's, as the API handed it out). */
  connectWith(creds: string, options: Partial<ConnectionOptions> = {}): Promise<NatsConnection> {
    return connect({ servers: this.url, authenticator: credsAuthenticator(new TextEncoder().encode(creds)), reconnect: false, ...options });
  }

  async dispose(): Promise<void> {
    await this.server.dispose();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
