import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IntegerValue } from '@nwd/http';

export class DisclosureHistoryQueryDto {
  @ApiPropertyOptional({ minimum: 0, description: 'The `next` of the previous page' }) @IsOptional() @IntegerValue({ min: 0 }) after?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 }) @IsOptional() @IntegerValue({ min: 1, max: 500 }) limit?: number;
}
