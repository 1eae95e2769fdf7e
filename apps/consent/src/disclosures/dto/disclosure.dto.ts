import { ValidateInt, ValidateUUID } from '@nwd/http';

export class DisclosureHistoryQueryDto {
  @ValidateUUID({ optional: true, description: 'The `next` of the previous page' }) after?: string;
  @ValidateInt({ optional: true, min: 1, max: 500, default: 100 }) limit?: number;
}
