import { Body, Controller, Get, Header, HttpCode, Param, Post } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@nwd/auth';
import { ApiProblems } from '@nwd/http';
import { DomainError } from '@nwd/errors';
import { HSDS_TABLES } from '../hsds/hsds-tables';
import { DirectoryImportService } from './directory-import.service';
import { DirectoryImportDto } from './dto/directory-import.dto';
import { AbsentRowsResponse, DataPackageResponse, ImportReportResponse, TableCountsResponse } from './dto/import.response';

@ApiTags('directory administration')
@ApiExtraModels(TableCountsResponse, AbsentRowsResponse)
@Controller('v1/directory')
export class ImportExportController {
  constructor(private readonly imports: DirectoryImportService) {}

  /** 200 with the report when applied (or a dry run); 422 with the problems, per file, row and field, when refused. */
  @Post('imports')
  @HttpCode(200)
  @Roles('network-admin')
  @ApiOkResponse({ type: ImportReportResponse, description: 'The import report' })
  @ApiProblems(422)
  @ApiOperation({ summary: 'Import an HSDS package' })
  async import(@CurrentPrincipal() principal: Principal, @Body() body: DirectoryImportDto) {
    const report = await this.imports.import(principal, body);
    if (report.problems.length) {
      throw DomainError.unprocessable('directory.import-refused', `Import refused: ${report.problems.length} problem(s); nothing was changed`, {
        problems: report.problems,
        absent: report.absent,
      });
    }
    return report;
  }

  @Get('export/datapackage.json')
  @Roles('network-admin')
  @ApiOkResponse({ type: DataPackageResponse, description: 'The HSDS 3.0 tabular data package descriptor the export follows' })
  @ApiOperation({ summary: 'The export’s data package descriptor' })
  datapackage() {
    return this.imports.datapackage();
  }

  @Get('export/:file')
  @Roles('network-admin')
  @Header('content-type', 'text/csv; charset=utf-8')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'One HSDS resource as CSV', content: { 'text/csv': { schema: { type: 'string' } } } })
  @ApiProblems(404)
  @ApiOperation({ summary: 'Export one HSDS resource as CSV' })
  async exportFile(@Param('file') file: string) {
    const table = HSDS_TABLES.find((t) => t.path === file);
    if (!table) throw DomainError.notFound('directory.export-file-not-found', `No HSDS resource ${file}`);
    return (await this.imports.exportCsv(table.name)).csv;
  }
}
