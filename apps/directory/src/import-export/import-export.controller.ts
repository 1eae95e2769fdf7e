import { Body, Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsArray, IsObject, ValidateBy, ValidateIf } from 'class-validator';
import { CurrentPrincipal, Principal, Roles } from '@nwd/auth';
import { ValidateBoolean, ValidateUUID } from '@nwd/http';
import { DomainError } from '@nwd/errors';
import { HSDS_TABLES } from '../hsds/hsds-tables';
import { DirectoryImportService } from './directory-import.service';

/** `services` and `tables` are two ways to send one package; with both, one would be dropped unread. */
function NotWith(other: string): PropertyDecorator {
  return ValidateBy({
    name: 'notWith',
    validator: {
      validate: (_value, args) => (args?.object as Record<string, unknown>)[other] === undefined,
      defaultMessage: (args) => `${args?.property} and ${other} cannot both be given`,
    },
  });
}

export class DirectoryImportDto {
  @ApiPropertyOptional({ type: 'array', items: { type: 'object' }, description: 'HSDS JSON: nested services' })
  @ValidateIf((body: DirectoryImportDto) => body.tables === undefined || body.services !== undefined) @IsArray() services?: unknown[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, description: 'A tabular package: CSV text by file name (`services.csv`, …)' })
  @ValidateIf((body: DirectoryImportDto) => body.services === undefined || body.tables !== undefined) @IsObject() @NotWith('services') tables?: Record<string, string>;
  @ValidateUUID({ optional: true }) maintainerOrganizationId?: string;
  @ValidateBoolean({ optional: true, description: 'Validate and report without writing' }) dryRun?: boolean;
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
