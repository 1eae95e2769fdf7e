import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PROBLEM_CODES, PROBLEM_TYPE_BASE } from '../problem-details';

export class FieldProblemDto {
  @ApiProperty({ description: 'Dotted path of the offending field', example: 'client.birthDate' })
  field!: string;

  @ApiProperty({ type: [String], example: ['birthDate must be a date (YYYY-MM-DD)'] })
  messages!: string[];
}

/**
 * RFC 9457 problem document, as libs/http/src/problem-details.ts and its filter emit it. Members a
 * problem adds for its own case (allowed transitions, import problems, OAuth `error`) are extensions.
 */
export class ProblemDetailsDto {
  @ApiProperty({ format: 'uri', example: `${PROBLEM_TYPE_BASE}request.validation-failed` })
  type!: string;

  @ApiProperty({ example: 'Bad Request' })
  title!: string;

  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 400 })
  status!: number;

  @ApiProperty({ example: 'Validation failed' })
  detail!: string;

  @ApiProperty({ description: 'Stable machine code to switch on', example: 'request.validation-failed', enum: [...PROBLEM_CODES] })
  code!: string;

  @ApiPropertyOptional({ description: 'The request path', example: '/v1/referrals' })
  instance?: string;

  @ApiPropertyOptional({ description: 'Quote it when asking for help: the logs carry it', example: '6c9f1c1e-5b0a-4d47-9f5e-2b9d1f0f4a11' })
  requestId?: string;

  @ApiPropertyOptional({ type: [FieldProblemDto], description: 'One entry per refused field (400 request.validation-failed)' })
  errors?: FieldProblemDto[];

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'With 429: also in the Retry-After header' })
  retryAfterSeconds?: number;

  @ApiPropertyOptional({ description: 'OAuth token endpoint only: the RFC 6749 §5.2 error', example: 'invalid_client' })
  error?: string;

  @ApiPropertyOptional({ description: 'OAuth token endpoint only: the RFC 6749 §5.2 description' })
  error_description?: string;
}
