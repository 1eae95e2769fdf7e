import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { IntegerValue } from '@nwd/http';

export class DisclosureHistoryQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The `next` of the previous page' }) @IsOptional() @IsUUID() after?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 }) @IsOptional() @IntegerValue({ min: 1, max: 500 }) limit?: number;
}
