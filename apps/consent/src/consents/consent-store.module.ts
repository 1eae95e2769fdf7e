import { Module } from '@nestjs/common';
import { ClientRecords } from './client-records';
import { ConsentWriter } from './consent-writer';
import { ConsentsRepository } from './consents.repository';

/** Consents' persistence, shared by their API and by decisions (which the API itself relies on). */
@Module({
  providers: [ConsentsRepository, ClientRecords, ConsentWriter],
  exports: [ConsentsRepository, ClientRecords, ConsentWriter],
})
export class ConsentStoreModule {}
