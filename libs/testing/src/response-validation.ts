import { ErrorCode, makeApiSpec, makeResponse, OpenApiSpec } from 'openapi-validator';
import request from 'supertest';

/** Servers under test, each with its own service's document. */
const documents = new WeakMap<object, DocumentSpecs>();
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
  documents.set(server, new DocumentSpecs(withParsablePaths(document)));
  if (installed) return;
  installed = true;
  const test = request.Test.prototype as unknown as { assert(error: unknown, res: unknown, fn?: (err: unknown, res: unknown) => void): void; app: unknown };
  const assert = test.assert;
  test.assert = function (this: { app: unknown }, error, res, fn) {
    const specs = typeof this.app === 'object' && this.app ? documents.get(this.app) : undefined;
    const spec = specs && res ? specs.for(contentTypeOf(res)) : undefined;
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

/**
 * The validator's path matcher (path-parser) throws on a `$` in a path (FHIR operations such as
 * `/v1/consents/$import`), failing every request to the service; the document's paths and the
 * request's path both spell it as a token the matcher reads as plain text.
 */
const DOLLAR = /\$|%24/gi;
const DOLLAR_TOKEN = '-dollar-';

function withParsablePaths(document: object): object {
  const { paths } = document as { paths?: Record<string, unknown> };
  if (!paths) return document;
  return { ...document, paths: Object.fromEntries(Object.entries(paths).map(([path, item]) => [path.replace(DOLLAR, DOLLAR_TOKEN), item])) };
}

/**
 * The validator holds a body to the schema of the first media type a response lists; an operation
 * answering several (a consent as ours or as FHIR) is held to the one the response declares.
 */
class DocumentSpecs {
  private readonly specs = new Map<string, OpenApiSpec>();

  constructor(private readonly document: object) {}

  for(mediaType: string): OpenApiSpec {
    let spec = this.specs.get(mediaType);
    if (!spec) {
      spec = makeApiSpec(withMediaTypeFirst(this.document, mediaType) as Parameters<typeof makeApiSpec>[0]);
      this.specs.set(mediaType, spec);
    }
    return spec;
  }
}

function contentTypeOf(res: unknown): string {
  const headers = (res as { headers?: Record<string, string | undefined> }).headers;
  return (headers?.['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

function withMediaTypeFirst(document: object, mediaType: string): object {
  const copy = JSON.parse(JSON.stringify(document)) as { paths?: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, unknown> }> }>> };
  for (const item of Object.values(copy.paths ?? {})) {
    for (const operation of Object.values(item)) {
      for (const response of Object.values(operation?.responses ?? {})) {
        const content = response.content;
        if (!content || !(mediaType in content) || Object.keys(content)[0] === mediaType) continue;
        response.content = { [mediaType]: content[mediaType], ...content };
      }
    }
  }
  return copy;
}

interface ValidatedResponse {
  status: number;
  text: string;
  body: unknown;
  req: { method: string; path: string };
}

/** Why `res` does not satisfy `spec`, or undefined when it does (or no operation describes it). */
export function responseViolation(spec: OpenApiSpec, res: ValidatedResponse): string | undefined {
  const path = res.req.path.replace(DOLLAR, DOLLAR_TOKEN);
  const parsable = path === res.req.path ? res : Object.assign(Object.create(res) as ValidatedResponse, { req: { method: res.req.method, path } });
  const error = spec.validateResponse(makeResponse(parsable as never));
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
