import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import type { ImportProblem } from '../hsds-package';
import type { ImportReport } from '../import-run';
import type { TableCounts } from '../table-writer';

export class ImportProblemResponse implements ImportProblem {
  @ApiProperty({ example: 'services.csv' }) file!: string;
  @ApiPropertyOptional({ type: 'integer' }) row?: number;
  @ApiPropertyOptional({ example: 'organization_id' }) field?: string;
  @ApiProperty() message!: string;
}

export class TableCountsResponse implements TableCounts {
  @ApiProperty({ type: 'integer' }) inserted!: number;
  @ApiProperty({ type: 'integer' }) updated!: number;
  @ApiProperty({ type: 'integer' }) unchanged!: number;
}

export class AbsentRowsResponse {
  @ApiProperty({ type: 'integer' }) count!: number;
  @ApiProperty({ type: [String], description: 'A few of their ids' }) sample!: string[];
}

export class ImportReportResponse implements ImportReport {
  @ApiProperty({ description: 'False for a dry run' }) applied!: boolean;
  @ApiProperty({ type: [ImportProblemResponse], description: 'Empty when applied; with problems the import answers 422 instead' })
  problems!: ImportProblemResponse[];
  @ApiProperty({ type: 'object', additionalProperties: { $ref: getSchemaPath(TableCountsResponse) }, description: 'Per HSDS table' })
  counts!: Record<string, TableCountsResponse>;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(AbsentRowsResponse) },
    description: 'Per table: rows the directory holds that the import does not (re-imports delete nothing)',
  })
  absent!: Record<string, AbsentRowsResponse>;
}

/** A Frictionless tabular data package descriptor: HSDS 3.0's own, which the export follows. */
export class DataPackageResponse {
  @ApiPropertyOptional() name?: string;
  @ApiPropertyOptional() profile?: string;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true, required: ['name', 'path'], properties: { name: { type: 'string' }, path: { type: 'string' } } } })
  resources!: { name: string; path: string; [member: string]: unknown }[];
}
