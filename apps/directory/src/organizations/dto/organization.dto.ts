import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { ORGANIZATION_KINDS, ORGANIZATION_PROTECTIONS, ORGANIZATION_STATUSES, OrganizationKind, OrganizationProtection, OrganizationStatus } from '@nwd/contracts';
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

  @ApiPropertyOptional({
    enum: ORGANIZATION_PROTECTIONS,
    isArray: true,
    description: 'Network admins only: federal protections of its programs (domestic-violence: VAWA; substance-use: 42 CFR Part 2); [] lifts them',
  })
  @OptionalNotNull()
  @IsArray()
  @ArrayUnique()
  @IsIn(ORGANIZATION_PROTECTIONS, { each: true })
  protections?: OrganizationProtection[];
}

export class ListOrganizationsQueryDto {
  @ValidateEnum(ORGANIZATION_KINDS, { optional: true }) kind?: OrganizationKind;
  @ValidateEnum(ORGANIZATION_STATUSES, { optional: true }) status?: OrganizationStatus;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MaxLength(200) name?: string;
}
