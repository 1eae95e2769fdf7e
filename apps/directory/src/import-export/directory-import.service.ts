import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@nwd/auth';
import { Outbox } from '@nwd/messaging';
import { Clock } from '@nwd/clock';
import { HSDS_DATAPACKAGE } from '../hsds/hsds-tables';
import { ListingIndex } from '../hsds/listing-index';
import { DirectoryExporter } from './directory-exporter';
import { DirectoryImporter } from './directory-importer';
import type { ImportReport } from './import-run';
import type { DirectoryImportDto } from './dto/directory-import.dto';
import { HsdsPackage } from './hsds-package';
import { addServiceDocuments } from './nested-json';
import { TabularPackage } from './tabular-package';
import { HsdsValidator } from './hsds-validator';
import type { DataPackageResponse } from './dto/import.response';

@Injectable()
export class DirectoryImportService {
  private readonly validator = new HsdsValidator();

  constructor(
    private readonly dataSource: DataSource,
    private readonly index: ListingIndex,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  import(principal: Principal, body: DirectoryImportDto): Promise<ImportReport> {
    let pkg: HsdsPackage;
    if (body.tables) {
      pkg = new TabularPackage(new Map(Object.entries(body.tables)), this.validator);
    } else {
      pkg = new HsdsPackage();
      addServiceDocuments(pkg, 'services', (body.services ?? []).map((value, index) => ({ row: index + 1, value })), this.validator);
    }
    const importer = new DirectoryImporter(this.dataSource, this.index, this.outbox, this.clock);
    return importer.run(pkg, { maintainerOrganizationId: body.maintainerOrganizationId, dryRun: body.dryRun, actor: principal });
  }

  datapackage(): DataPackageResponse {
    return HSDS_DATAPACKAGE;
  }

  exportCsv(table: string) {
    return new DirectoryExporter(this.dataSource).tableCsv(table);
  }
}
