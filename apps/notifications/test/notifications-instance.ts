import { BaseConfig } from '@nwd/config';
import { bootService, createTestDatabase, ServiceUnderTest, TestDatabase, TestNetwork } from '@nwd/testing';
import { NotificationsAppModule } from '../src/notifications-app.module';
import { NotificationsConfig } from '../src/notifications.config';

/**
 * The notifications service on a database the test keeps across instances, so a test can stop
 * one instance and start the next on the same state, as a restart does.
 */
export class NotificationsInstances {
  private current?: ServiceUnderTest<BaseConfig>;

  private constructor(
    private readonly network: TestNetwork,
    readonly database: TestDatabase,
  ) {}

  static async start(network: TestNetwork): Promise<NotificationsInstances> {
    const instances = new NotificationsInstances(network, await createTestDatabase('notifications'));
    await instances.restart();
    return instances;
  }

  get service(): ServiceUnderTest<BaseConfig> {
    if (!this.current) throw new Error('notifications is stopped');
    return this.current;
  }

  async stop(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    await current?.app.close();
  }

  async restart(): Promise<ServiceUnderTest<BaseConfig>> {
    await this.stop();
    this.current = await bootService({
      service: 'notifications',
      config: NotificationsConfig,
      module: (c) => NotificationsAppModule.forRoot(c),
      natsPrefix: this.network.natsPrefix,
      database: this.database,
      env: { NWD_JWKS_URL: this.network.jwksUrl },
    });
    return this.current;
  }

  async close(): Promise<void> {
    await this.stop().catch(() => undefined);
    await this.database.drop();
  }
}
