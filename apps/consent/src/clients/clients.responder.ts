import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConsentRequests, HandOverClientsReply, HandOverClientsRequest } from '@nwd/contracts';
import { OnRequest } from '@nwd/messaging';
import { ClientsRepository, newClient } from './clients.repository';

/** The referral service's one-time move of its client rows into the register. */
@Injectable()
export class ClientsResponder {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clients: ClientsRepository,
  ) {}

  /**
   * Registers each client with its own id, registering organization and creation time; one already
   * held is confirmed, not changed, so a batch retried after a lost reply writes nothing twice.
   * The reply names every id held, so the sender deletes exactly those of its copies.
   */
  @OnRequest(ConsentRequests.handOverClients)
  async handOverClients(request: HandOverClientsRequest): Promise<HandOverClientsReply> {
    const registered = await this.dataSource.transaction((manager) =>
      this.clients.insertHandedOver(
        manager,
        request.clients.map(({ id, createdByOrganizationId, createdAt, details }) => newClient(id, createdByOrganizationId, details, new Date(createdAt))),
      ),
    );
    return { registered };
  }
}
