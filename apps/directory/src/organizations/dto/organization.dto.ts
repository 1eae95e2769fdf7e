import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { ORGANIZATION_KINDS, ORGANIZATION_STATUSES, OrganizationKind, OrganizationStatus } from '@nwd/contracts';
import { OptionalNotNull, ValidateEnum } from '@nwd/http';

export class CreateOrganizationDto {
  @ApiProperty({ maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ValidateEnum(ORGANIZATION_KINDS) kind!: OrganizationKind;
}

export class UpdateOrganizationDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @OptionalNotNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ enum: ORGANIZATION_KINDS })
  @OptionalNotNull()
  @IsIn(ORGANIZATION_KINDS)
  kind?: OrganizationKind;

  @ApiPropertyOptional({ enum: ORGANIZATION_STATUSES, description: 'suspended stops every token of the organization on every service' })
  @OptionalNotNull()
  @IsIn(ORGANIZATION_STATUSES)
  status?: OrganizationStatus;
}

export class ListOrganizationsQueryDto {
  @ValidateEnum(ORGANIZATION_KINDS, { optional: true }) kind?: OrganizationKind;
  @ValidateEnum(ORGANIZATION_STATUSES, { optional: true }) status?: OrganizationStatus;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MaxLength(200) name?: string;
}
