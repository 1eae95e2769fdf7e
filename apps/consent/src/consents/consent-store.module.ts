import { Module } from '@nestjs/common';
import { ClientsRepository } from '../clients/clients.repository';
import { ConsentWriter } from './consent-writer';
import { ConsentsRepository } from './consents.repository';

/**
 * Consents' persistence and the register's rows as decisions read them, shared by the consents API
 * and by decisions (which the API and the register's visibility rely on).
 */
@Module({
  providers: [ConsentsRepository, ClientsRepository, ConsentWriter],
  exports: [ConsentsRepository, ClientsRepository, ConsentWriter],
})
export class ConsentStoreModule {}
