import { Module } from '@nestjs/common';
import { AuditLog } from '../audit/audit-log';
import { HsdsApiController } from '../hsds-api/hsds-api.controller';
import { HsdsApiService } from '../hsds-api/hsds-api.service';
import { DirectoryImportService } from '../import-export/directory-import.service';
import { ImportExportController } from '../import-export/import-export.controller';
import { DirectorySearchController } from '../search/directory-search.controller';
import { DirectorySearchService } from '../search/directory-search.service';
import { ListingsController } from './listings.controller';
import { ListingsResponder } from './listings.responder';
import { ListingsService } from './listings.service';
import { StaleListingSweep } from './stale-listing.sweep';

/** The resource directory: HSDS 3.0 listings, their open-data API, search, import/export and maintenance. */
@Module({
  controllers: [HsdsApiController, DirectorySearchController, ListingsController, ImportExportController],
  providers: [AuditLog, HsdsApiService, DirectorySearchService, ListingsService, ListingsResponder, StaleListingSweep, DirectoryImportService],
})
export class ListingsModule {}
