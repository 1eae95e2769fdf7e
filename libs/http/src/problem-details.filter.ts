import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '@nwd/errors';
import { RequestContext } from '@nwd/observability';
import {
  PROBLEM_CONTENT_TYPE,
  PROBLEM_TYPE_BASE,
  ProblemCode,
  ProblemDocument,
  problemFromDomainError,
  titleOf,
} from './problem-details';

/** Codes for errors raised by the framework rather than by a service. */
const FRAMEWORK_CODES: Record<number, ProblemCode> = {
  400: 'request.invalid',
  401: 'auth.unauthenticated',
  403: 'auth.forbidden',
  404: 'route.not-found',
  405: 'route.method-not-allowed',
  413: 'request.too-large',
  414: 'request.uri-too-long',
  415: 'request.unsupported-media-type',
  429: 'rate-limit.exceeded',
};

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const problem = this.toProblem(exception);
    problem.instance = request.url;
    problem.requestId = RequestContext.requestId() ?? String(request.id);
    if (problem.status >= 500) this.logger.error({ err: exception, requestId: problem.requestId }, 'unhandled error');
    // RFC 6750: a 401 tells the client which scheme to use and why its token failed.
    if (problem.status === 429 && typeof problem.retryAfterSeconds === 'number') void reply.header('retry-after', problem.retryAfterSeconds);
    if (problem.status === 401 && !reply.hasHeader('www-authenticate')) void reply.header('www-authenticate', `Bearer realm="no-wrong-door", error="invalid_token"`);
    void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
  }

  /** Also used for the errors Fastify raises before a route is found (framework-errors.ts). */
  toProblem(exception: unknown): ProblemDocument {
    if (exception instanceof DomainError) return problemFromDomainError(exception);
    if (exception instanceof HttpException) {
      const status = exception instanceof ThrottlerException ? 429 : exception.getStatus();
      const body = exception.getResponse();
      const extensions = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
      const code = typeof extensions.code === 'string' ? extensions.code : (FRAMEWORK_CODES[status] ?? `http.${status}`);
      const detail =
        typeof extensions.detail === 'string' ? extensions.detail : typeof body === 'string' ? body : exception.message;
      const { message: _m, statusCode: _s, error: _e, ...rest } = extensions;
      return { type: PROBLEM_TYPE_BASE + code, title: titleOf(status), ...rest, status, detail, code };
    }
    // Fastify's own errors (body too large, bad JSON, wrong content type) carry a statusCode.
    const fastifyError = exception as { statusCode?: number; code?: string; message?: string };
    if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode < 500) {
      const status = fastifyError.statusCode;
      const code = FRAMEWORK_CODES[status] ?? `http.${status}`;
      return { type: PROBLEM_TYPE_BASE + code, title: titleOf(status), status, detail: fastifyError.message ?? '', code };
    }
    const internal: ProblemCode = 'internal';
    return {
      type: PROBLEM_TYPE_BASE + internal,
      title: titleOf(500),
      status: 500,
      detail: 'An unexpected error occurred; it has been logged with the request id.',
      code: internal,
    };
  }
}
