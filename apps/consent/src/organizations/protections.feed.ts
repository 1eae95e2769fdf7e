import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { IdentityEvents, STREAMS, validateMessage } from '@nwd/contracts';
import { NatsClient, StreamFollower, StreamProvisioner } from '@nwd/messaging';
import { OrganizationRegistry } from './organization-registry';

/**
 * Follows organizations' protections on the IDENTITY stream from its start, as the deny-list
 * does: every instance needs every change, and boot waits for the replay so that no decision is
 * made about a DV or Part 2 program before its protections are known.
 */
@Injectable()
export class ProtectionsFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly follower: StreamFollower;

  constructor(registry: OrganizationRegistry, nats: NatsClient, provisioner: StreamProvisioner) {
    const contract = IdentityEvents.organizationProtectionsChanged;
    this.follower = new StreamFollower(
      nats,
      provisioner,
      STREAMS.IDENTITY,
      (envelope) => {
        if (envelope.type !== contract.subject) return;
        const event = validateMessage(contract.subject, contract.payload, envelope.data);
        registry.setProtections(event.organizationId, event.protections);
      },
      new Logger(ProtectionsFeed.name),
    );
  }

  onApplicationBootstrap(): Promise<void> {
    return this.follower.start();
  }

  onApplicationShutdown(): void {
    this.follower.stop();
  }
}
