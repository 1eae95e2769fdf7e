import { Module } from '@nestjs/common';
import { DecisionsModule } from '../decisions/decisions.module';
import { ConsentExpirySweep } from './consent-expiry.sweep';
import { ConsentStoreModule } from './consent-store.module';
import { ConsentsController } from './consents.controller';
import { ConsentsService } from './consents.service';
import { FhirJsonParser } from './fhir/fhir-json.parser';

/** Consents: recorded, read (also as FHIR), revoked, expired. */
@Module({
  imports: [ConsentStoreModule, DecisionsModule],
  controllers: [ConsentsController],
  providers: [ConsentsService, ConsentExpirySweep, FhirJsonParser],
})
export class ConsentsModule {}
