import { ErrorCode, makeApiSpec, makeResponse, OpenApiSpec } from 'openapi-validator';
import request from 'supertest';

/** Servers under test, each with its own service's document. */
const documents = new WeakMap<object, OpenApiSpec>();
let installed = false;

/**
 * From now on every response supertest receives from `server` is checked against `document`: a
 * status the operation does not document, or a body that does not match its schema, fails the
 * request (the promise rejects, as a failed `.expect()` does). So an e2e suite cannot pass while
 * the service answers something its OpenAPI document does not say.
 *
 * Requests to paths the document does not have (the docs themselves, routes that do not exist)
 * are not checked: there is no operation to hold them to.
 */
export function validateResponsesAgainst(server: object, document: object): void {
  documents.set(server, makeApiSpec(document as Parameters<typeof makeApiSpec>[0]));
  if (installed) return;
  installed = true;
  const test = request.Test.prototype as unknown as { assert(error: unknown, res: unknown, fn?: (err: unknown, res: unknown) => void): void; app: unknown };
  const assert = test.assert;
  test.assert = function (this: { app: unknown }, error, res, fn) {
    const spec = typeof this.app === 'object' && this.app ? documents.get(this.app) : undefined;
    let violation: string | undefined;
    try {
      violation = spec && res ? responseViolation(spec, res as ValidatedResponse) : undefined;
    } catch (failure) {
      // Thrown here, it would never reach the test: superagent's callback swallows it and the request hangs.
      violation = `the response could not be checked against the OpenAPI document: ${String(failure)}`;
    }
    if (!violation) return assert.call(this, error, res, fn);
    return assert.call(this, error, res, (_err, response) => fn?.(new Error(violation), response));
  };
}

interface ValidatedResponse {
  status: number;
  text: string;
  body: unknown;
  req: { method: string; path: string };
}

/** Why `res` does not satisfy `spec`, or undefined when it does (or no operation describes it). */
export function responseViolation(spec: OpenApiSpec, res: ValidatedResponse): string | undefined {
  const error = spec.validateResponse(makeResponse(res as never));
  if (!error) return undefined;
  const where = `${res.req.method} ${res.req.path} → ${res.status}`;
  switch (error.code) {
    case ErrorCode.ServerNotFound:
    case ErrorCode.BasePathNotFound:
    case ErrorCode.PathNotFound:
      return undefined;
    case ErrorCode.MethodNotFound:
      // The router's own answer to a method the path does not have.
      return res.status === 404 || res.status === 405 ? undefined : `${where}: the OpenAPI document has no ${res.req.method} operation on this path`;
    case ErrorCode.StatusNotFound:
      return `${where}: status ${res.status} is not documented for this operation (body: ${res.text.slice(0, 300)})`;
    default:
      return `${where}: the body does not match the OpenAPI document: ${error.message} (body: ${res.text.slice(0, 300)})`;
  }
}
