import { randomBytes } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { DynamicModule } from '@nestjs/common';
import request from 'supertest';
import { BaseConfig } from '@nwd/config';
import type { Role } from '@nwd/auth';
import type { OrganizationKind } from '@nwd/contracts';
import { ConsentAppModule } from '../../../apps/consent/src/consent-app.module';
import { DirectoryAppModule } from '../../../apps/directory/src/directory-app.module';
import { NotificationsAppModule } from '../../../apps/notifications/src/notifications-app.module';
import { ReferralAppModule } from '../../../apps/referral/src/referral-app.module';
import { ReportingAppModule } from '../../../apps/reporting/src/reporting-app.module';
import { deleteTestStreams, testNatsPrefix } from './nats';
import type { AuthorizedNatsServer } from './nats-authorization';
import { bootService, ServiceUnderTest } from './service-under-test';
import { SERVICE_CONFIGS, ServiceName } from './services';

const MODULES: Record<ServiceName, (config: any) => DynamicModule> = {
  referral: (c) => ReferralAppModule.forRoot(c),
  directory: (c) => DirectoryAppModule.forRoot(c),
  consent: (c) => ConsentAppModule.forRoot(c),
  notifications: (c) => NotificationsAppModule.forRoot(c),
  reporting: (c) => ReportingAppModule.forRoot(c),
};

export interface TestOrganization {
  id: string;
  name: string;
  kind: OrganizationKind;
  clientId: string;
  clientSecret: string;
  /** A fresh access token of the organization's first client. */
  token: string;
}

export interface TestNetworkOptions {
  /** Extra variables per service, e.g. `{ referral: { NWD_TIMEZONE: 'America/Chicago' } }`. */
  env?: Partial<Record<ServiceName, Record<string, unknown>>>;
  /** Run on this nats-server with the network's authorization, each service with its own credentials. */
  nats?: AuthorizedNatsServer;
}

/**
 * A small live network for e2e tests: the directory really listening (other services fetch its
 * JWKS over HTTP, as in production) plus the named services, sharing one NATS namespace, each on
 * its own database. Organizations and clients are created through the directory's API, and
 * tokens come from its token endpoint: tests exercise the real credentials path.
 */
export class TestNetwork {
  readonly adminClientId = 'test-network-admin';
  private readonly adminSecret = `secret-${randomBytes(24).toString('hex')}`;
  private readonly services = new Map<ServiceName, ServiceUnderTest<BaseConfig>>();
  /** Every instance started, including second instances of a service, so that close() stops them all. */
  private readonly instances: ServiceUnderTest<BaseConfig>[] = [];
  adminToken = '';
  jwksUrl = '';

  private constructor(
    readonly natsPrefix: string,
    private readonly options: TestNetworkOptions,
  ) {}

  static async start(services: ServiceName[] = [], options: TestNetworkOptions = {}): Promise<TestNetwork> {
    const network = new TestNetwork(testNatsPrefix(), options);
    try {
      await network.startDirectory();
      for (const name of services.filter((s) => s !== 'directory')) await network.startService(name);
      network.adminToken = await network.token(network.adminClientId, network.adminSecret);
      return network;
    } catch (error) {
      await network.close();
      throw error;
    }
  }

  /** Boots a service in this network; a second call for the same service starts another instance (service() keeps the first). */
  async startService(name: ServiceName, env: Record<string, unknown> = {}): Promise<ServiceUnderTest<BaseConfig>> {
    const nats = this.options.nats;
    const credentials = nats ? { NATS_URL: nats.url, NWD_NATS_CREDS_FILE: await nats.credentialsFile(name, this.natsPrefix) } : {};
    const svc = await bootService({
      service: name,
      config: SERVICE_CONFIGS[name],
      module: MODULES[name],
      natsPrefix: this.natsPrefix,
      env: { NWD_JWKS_URL: this.jwksUrl, ...credentials, ...this.options.env?.[name], ...env },
    });
    this.instances.push(svc);
    if (!this.services.has(name)) this.services.set(name, svc);
    return svc;
  }

  service(name: ServiceName): ServiceUnderTest<BaseConfig> {
    const svc = this.services.get(name);
    if (!svc) throw new Error(`Service ${name} is not part of this test network`);
    return svc;
  }

  server(name: ServiceName): ServiceUnderTest<BaseConfig>['server'] {
    return this.service(name).server;
  }

  async token(clientId: string, clientSecret: string): Promise<string> {
    const res = await request(this.server('directory'))
      .post('/oauth/token')
      .send({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
    if (res.status !== 200) throw new Error(`token for ${clientId}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.access_token as string;
  }

  /** A fresh active member organization with one client holding `roles` (staff by default). */
  async organization({
    kind = 'cbo',
    name = `Test ${kind} ${randomBytes(3).toString('hex')}`,
    roles = ['staff'],
  }: { kind?: OrganizationKind; name?: string; roles?: Role[] } = {}): Promise<TestOrganization> {
    const created = await this.asAdmin('post', '/v1/organizations', { name, kind }, 201);
    const client = await this.client(created.id, roles);
    return { id: created.id, name, kind, ...client };
  }

  async client(organizationId: string, roles: Role[]): Promise<{ clientId: string; clientSecret: string; token: string }> {
    const body = await this.asAdmin('post', `/v1/organizations/${organizationId}/clients`, { name: 'test client', roles }, 201);
    return { clientId: body.clientId, clientSecret: body.clientSecret, token: await this.token(body.clientId, body.clientSecret) };
  }

  async suspend(organizationId: string): Promise<void> {
    await this.asAdmin('patch', `/v1/organizations/${organizationId}`, { status: 'suspended' }, 200);
  }

  async revoke(organizationId: string, clientId: string): Promise<void> {
    await this.asAdmin('delete', `/v1/organizations/${organizationId}/clients/${clientId}`, undefined, 204);
  }

  async close(): Promise<void> {
    for (const svc of this.instances.reverse()) await svc.close().catch(() => undefined);
    this.instances.length = 0;
    this.services.clear();
    // A test-owned server goes with its test; the shared one keeps only what other suites made.
    if (!this.options.nats) await deleteTestStreams(this.natsPrefix).catch(() => undefined);
  }

  private async startDirectory(): Promise<void> {
    const directory = await this.startService('directory', {
      NWD_ADMIN_CLIENT_ID: this.adminClientId,
      NWD_ADMIN_CLIENT_SECRET: this.adminSecret,
    });
    await directory.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = directory.app.getHttpServer().address() as AddressInfo;
    this.jwksUrl = `http://127.0.0.1:${port}/.well-known/jwks.json`;
  }

  private async asAdmin(method: 'post' | 'patch' | 'delete', path: string, body: object | undefined, expected: number) {
    const res = await request(this.server('directory'))[method](path).auth(this.adminToken, { type: 'bearer' }).send(body);
    if (res.status !== expected) throw new Error(`${method.toUpperCase()} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
}
