import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { HsdsModule } from '../hsds/hsds.module';
import { ListingsController } from './listings.controller';
import { ListingsRepository } from './listings.repository';
import { ListingsResponder } from './listings.responder';
import { ListingsService } from './listings.service';
import { StaleListingSweep } from './stale-listing.sweep';

/** A listing's maintenance by its maintaining organization, and the sweep that flags listings nobody verified. */
@Module({
  imports: [AuditModule, HsdsModule],
  controllers: [ListingsController],
  providers: [ListingsRepository, ListingsService, ListingsResponder, StaleListingSweep],
})
export class ListingsModule {}
