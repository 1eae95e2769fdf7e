import { Module } from '@nestjs/common';
import { ClientVisibility, OwnOrganizationOnly } from './client-visibility';
import { ClientsController } from './clients.controller';
import { ClientsRepository } from './clients.repository';
import { ClientsResponder } from './clients.responder';
import { ClientsService } from './clients.service';

/**
 * The client register. `ClientVisibility` defaults to "own organization only"; the consent policy
 * backs it by replacing that provider here.
 */
@Module({
  controllers: [ClientsController],
  providers: [ClientsRepository, ClientsService, ClientsResponder, { provide: ClientVisibility, useClass: OwnOrganizationOnly }],
  exports: [ClientsRepository],
})
export class ClientsModule {}
