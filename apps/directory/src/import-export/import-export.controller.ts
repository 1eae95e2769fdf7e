import { Body, Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsObject, IsOptional, IsUUID, ValidateIf } from 'class-validator';
import { CurrentPrincipal, Principal, Roles } from '@nwd/auth';
import { DomainError } from '@nwd/errors';
import { HSDS_TABLES } from '../listings/hsds-tables';
import { DirectoryImportService } from './directory-import.service';

export class DirectoryImportDto {
  /** HSDS JSON: nested services. */
  @ValidateIf((body: DirectoryImportDto) => body.tables === undefined) @IsArray() services?: unknown[];
  /** A tabular package: CSV text by file name (`services.csv`, …). */
  @ValidateIf((body: DirectoryImportDto) => body.services === undefined) @IsObject() tables?: Record<string, string>;
  @IsOptional() @IsUUID() maintainerOrganizationId?: string;
  @IsOptional() @Type(() => Boolean) @IsBoolean() dryRun?: boolean;
}

@ApiTags('directory administration')
@Controller('v1/directory')
export class ImportExportController {
  constructor(private readonly imports: DirectoryImportService) {}

  /** 200 with the report when applied (or a dry run); 422 with the problems, per file, row and field, when refused. */
  @Post('imports')
  @HttpCode(200)
  @Roles('network-admin')
  @ApiOkResponse({ description: 'The import report' })
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
  datapackage() {
    return this.imports.datapackage();
  }

  @Get('export/:file')
  @Roles('network-admin')
  @Header('content-type', 'text/csv; charset=utf-8')
  async exportFile(@Param('file') file: string) {
    const table = HSDS_TABLES.find((t) => t.path === file);
    if (!table) throw DomainError.notFound('directory.export-file-not-found', `No HSDS resource ${file}`);
    return (await this.imports.exportCsv(table.name)).csv;
  }
}
