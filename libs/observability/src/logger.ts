import { randomUUID } from 'node:crypto';
import { Params } from 'nestjs-pino';
import { acceptedRequestId, REQUEST_ID_HEADER, RequestContext } from './request-context';

const PROBE_PATHS = new Set(['/health', '/metrics']);

/** Structured JSON logs; every line of a request carries its request id, and the id is echoed back. */
export function loggerParams(serviceName: string, level: string): Params {
  return {
    pinoHttp: {
      level,
      base: { service: serviceName },
      genReqId: (req, res) => {
        const id = RequestContext.requestId() ?? acceptedRequestId(req.headers[REQUEST_ID_HEADER]) ?? randomUUID();
        res.setHeader(REQUEST_ID_HEADER, id);
        return id;
      },
      customAttributeKeys: { reqId: 'requestId' },
      // Lines logged outside an HTTP request (event handlers, the relay) still carry the request id that caused them.
      mixin: () => {
        const requestId = RequestContext.requestId();
        return requestId ? { requestId } : {};
      },
      // Probes arrive every few seconds from every orchestrator and scraper: at info they would bury the requests
      // that matter. LOG_LEVEL=debug shows them.
      customLogLevel: (req) => (PROBE_PATHS.has(req.url ?? '') ? 'debug' : 'info'),
      redact: ['req.headers.authorization', 'req.headers.cookie'],
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      },
    },
  };
}
