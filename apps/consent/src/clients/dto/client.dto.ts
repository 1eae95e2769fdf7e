import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsISO8601, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ClientDetails } from '@nwd/contracts';
import { ValidateInt, ValidateUUID } from '@nwd/http';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A new client: the register's fields and their rules, as the contract defines them once. */
export class CreateClientDto extends ClientDetails {}

/** Only what is sent changes: every field optional, and `null` clears only what may be cleared (not a name or the birth date). */
export class UpdateClientDto extends PartialType(ClientDetails, { skipNullProperties: false }) {}

export class SearchClientsQueryDto {
  @ApiProperty({ maxLength: 200, description: 'Given and family name in any order; typos, accents and hyphens are forgiven' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ example: '1984-03-07', description: 'Matched exactly' })
  @IsOptional()
  @Matches(DATE_ONLY, { message: 'birthDate must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'birthDate must be a valid calendar date' })
  birthDate?: string;

  @ValidateInt({ optional: true, min: 1, max: 50, default: 20 }) limit?: number;
}

export class PossibleDuplicatesQueryDto {
  @ValidateInt({ optional: true, min: 1, max: 50, default: 20 }) limit?: number;
}

export class MergeClientDto {
  @ValidateUUID({ description: 'The duplicate registration; it is merged into the one in the path' }) duplicateId!: string;
}
