import { Module } from '@nestjs/common';
import { HsdsModule } from '../hsds/hsds.module';
import { DirectoryImportService } from './directory-import.service';
import { ImportExportController } from './import-export.controller';

/** HSDS packages in and out of the directory. */
@Module({ imports: [HsdsModule], controllers: [ImportExportController], providers: [DirectoryImportService] })
export class ImportExportModule {}
