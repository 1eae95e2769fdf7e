import { Module } from '@nestjs/common';
import { ConsentClientVisibility } from '../decisions/consent-client-visibility';
import { DecisionsModule } from '../decisions/decisions.module';
import { ClientVisibility } from './client-visibility';
import { ClientsController } from './clients.controller';
import { ClientsRepository } from './clients.repository';
import { ClientsResponder } from './clients.responder';
import { ClientsService } from './clients.service';

/**
 * The client register. `ClientVisibility` is backed by the consent policy (ConsentClientVisibility);
 * `OwnOrganizationOnly` is the register without consents.
 */
@Module({
  imports: [DecisionsModule],
  controllers: [ClientsController],
  providers: [ClientsRepository, ClientsService, ClientsResponder, { provide: ClientVisibility, useExisting: ConsentClientVisibility }],
  exports: [ClientsRepository],
})
export class ClientsModule {}
