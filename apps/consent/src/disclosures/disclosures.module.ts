import { Module } from '@nestjs/common';
import { DisclosureLedger } from './disclosure-ledger';
import { DisclosuresController } from './disclosures.controller';
import { DisclosuresRepository } from './disclosures.repository';
import { DisclosuresService } from './disclosures.service';

/** The accounting of disclosures: the ledger other folders record into, and a client's history for its referring organization. */
@Module({
  controllers: [DisclosuresController],
  providers: [DisclosureLedger, DisclosuresRepository, DisclosuresService],
  exports: [DisclosureLedger],
})
export class DisclosuresModule {}
