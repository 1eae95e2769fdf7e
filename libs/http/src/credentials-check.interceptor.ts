import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';
import { basicCredentialProblems } from './input-checks';
import { validationFailed } from './validation';

/** The global input checks for what arrives in a header rather than a body, query or path (see input-checks.ts). */
@Injectable()
export class CredentialsCheckInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const problems = basicCredentialProblems(context.switchToHttp().getRequest<FastifyRequest>().headers.authorization);
      if (problems.length) throw validationFailed(problems);
    }
    return next.handle();
  }
}
