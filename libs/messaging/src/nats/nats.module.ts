import { Global, Module } from '@nestjs/common';
import { BaseConfig } from '@nwd/config';
import { NatsClient } from './nats-client';

@Global()
@Module({
  providers: [
    {
      provide: NatsClient,
      inject: [BaseConfig],
      useFactory: async (config: BaseConfig) => {
        const client = await NatsClient.connect(config);
        client.watchStatus();
        return client;
      },
    },
  ],
  exports: [NatsClient],
})
export class NatsModule {}
