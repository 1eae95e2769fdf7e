import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, credsAuthenticator, NatsConnection } from 'nats';
import type { NetworkService } from '@nwd/contracts';
import { CredentialStore, NatsNames } from '@nwd/messaging';
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

  async dispose(): Promise<void> {
    await this.server.dispose();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
