import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsObject, ValidateBy, ValidateIf } from 'class-validator';
import { ValidateBoolean, ValidateUUID } from '@nwd/http';

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
