import { Module } from '@nestjs/common';
import { HsdsApiController } from './hsds-api.controller';
import { HsdsApiService } from './hsds-api.service';
import { HsdsRecordsRepository } from './hsds-records.repository';

/** The directory's open data: the HSDS 3.0 API, confidential locations left out. */
@Module({ controllers: [HsdsApiController], providers: [HsdsApiService, HsdsRecordsRepository] })
export class HsdsApiModule {}
