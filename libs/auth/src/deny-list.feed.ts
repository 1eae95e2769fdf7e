import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EventContract, EventEnvelope, IdentityEvents, STREAMS, validateMessage } from '@nwd/contracts';
import { NatsClient, StreamFollower, StreamProvisioner } from '@nwd/messaging';
import { DenyList } from './deny-list';

/**
 * Keeps this process's DenyList in step with the IDENTITY stream. Every instance needs every
 * event (not a share of them), so this is an ordered consumer replayed from the start at boot,
 * not a durable one; boot waits until the replay reaches the stream's end.
 */
@Injectable()
export class DenyListFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly follower: StreamFollower;

  constructor(
    private readonly denyList: DenyList,
    nats: NatsClient,
    provisioner: StreamProvisioner,
  ) {
    // The directory has never booted, so nothing was ever revoked: the follower serves, and follows once IDENTITY exists.
    this.follower = new StreamFollower(nats, provisioner, STREAMS.IDENTITY, (envelope) => this.apply(envelope), new Logger(DenyListFeed.name));
  }

  onApplicationBootstrap(): Promise<void> {
    return this.follower.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.follower.stop();
  }

  private readonly appliers = new Map([
    applier(IdentityEvents.clientRevoked, (e) => this.denyList.revokeClient(e.clientId)),
    applier(IdentityEvents.clientRotated, (e) => this.denyList.rotateClient(e.clientId, new Date(e.rotatedAt))),
    applier(IdentityEvents.organizationSuspended, (e) => this.denyList.suspendOrganization(e.organizationId)),
    applier(IdentityEvents.organizationReactivated, (e) => this.denyList.reactivateOrganization(e.organizationId)),
  ]);

  private apply(envelope: EventEnvelope<object>): void {
    this.appliers.get(envelope.type)?.(envelope.data);
  }
}

function applier<P extends object>(contract: EventContract<P>, apply: (event: P) => void): [string, (data: unknown) => void] {
  return [contract.subject, (data) => apply(validateMessage(contract.subject, contract.payload, data))];
}
