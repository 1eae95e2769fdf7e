import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, titleOf } from '../problem-details';
import { ProblemDetailsDto } from './problem-details.dto';

const WHEN: Record<number, string> = {
  400: 'The request is malformed; `errors` names each refused field',
  401: 'No valid access token',
  403: 'The caller’s roles or organization do not allow this',
  404: 'Not found, or not visible to the caller',
  409: 'Conflicts with the current state (stale version, illegal transition)',
  413: 'The body is larger than the service accepts',
  414: 'The URI is longer than the router accepts',
  415: 'The body’s content type is not accepted',
  422: 'Well-formed but refused by a business rule',
  429: 'Rate limited; see Retry-After',
  500: 'Unexpected error, logged with the request id',
  503: 'A dependency is unavailable',
};

/** The response object of a problem status: what the document builder adds and the decorator declares. */
export function problemResponse(status: number, description = WHEN[status] ?? titleOf(status)) {
  return { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } } };
}

/**
 * The problem statuses an operation answers beyond the platform's own (400, 429, 500 everywhere; 401
 * and 403 where a token is required; 413 and 415 with a body: added by the document builder).
 */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsDto),
    ...statuses.map((status) => ApiResponse({ status, ...problemResponse(status) })),
  );
}
