import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsDefined, IsInt, IsNotEmpty, IsString, MaxLength, Min, ValidateIf } from 'class-validator';
import { Role, ROLES } from '@nwd/auth';
import { ValidateEnum } from '@nwd/http';

export class CreateClientDto {
  @ApiProperty({ maxLength: 200, example: 'Case management system' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ValidateEnum(ROLES, { each: true }) @ArrayMinSize(1) @ArrayMaxSize(ROLES.length) @ArrayUnique() roles!: Role[];
}

export class UpdateClientDto {
  @ApiProperty({
    type: 'integer',
    nullable: true,
    minimum: 1,
    description: 'Requests per minute on every service, up to the network maximum (NWD_RATE_LIMIT_MAX_PER_MINUTE); null: the network default. Applies from the client’s next token.',
  })
  @IsDefined({ message: 'rateLimitPerMinute is required (null for the network default)' })
  @ValidateIf((dto: UpdateClientDto) => dto.rateLimitPerMinute !== null)
  @IsInt()
  @Min(1)
  rateLimitPerMinute!: number | null;
}
