import { Module } from '@nestjs/common';
import { DisclosureLedger } from './disclosure-ledger';

/** The accounting of disclosures: the ledger other folders record into, and its history for the referring organization. */
@Module({
  providers: [DisclosureLedger],
  exports: [DisclosureLedger],
})
export class DisclosuresModule {}
