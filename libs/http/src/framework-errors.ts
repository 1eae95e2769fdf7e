import { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { REQUEST_ID_HEADER } from '@nwd/observability';
import { PROBLEM_CONTENT_TYPE } from './problem-details';
import { ProblemDetailsFilter } from './problem-details.filter';

const filter = new ProblemDetailsFilter();

/**
 * Fastify's `frameworkErrors`: a URL it cannot decode or a path parameter over its length limit is
 * refused before any route (or Nest's exception filter) runs, with a bare JSON body of its own;
 * this answers them with the same problem document as every other refusal.
 */
export function frameworkErrorProblem(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const problem = filter.toProblem(error);
  problem.instance = request.url;
  problem.requestId = String(request.id);
  void reply.status(problem.status).header(REQUEST_ID_HEADER, request.id).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
}
