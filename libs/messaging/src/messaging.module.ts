import { DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MessagingHost } from './messaging-host';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { Outbox } from './outbox/outbox';
import { MessagingClient } from './requests/request-reply';
import { StreamProvisioner } from './streams/stream-provisioner';

@Global()
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      imports: [DiscoveryModule],
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        Outbox,
        MessagingClient,
        StreamProvisioner,
        MessagingHost,
      ],
      exports: [Outbox, MessagingClient, StreamProvisioner, MessagingHost],
    };
  }
}
