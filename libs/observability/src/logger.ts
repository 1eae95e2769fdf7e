import { randomUUID } from 'node:crypto';
import { Params } from 'nestjs-pino';
import { acceptedRequestId, REQUEST_ID_HEADER, RequestContext } from './request-context';

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
      autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
      redact: ['req.headers.authorization', 'req.headers.cookie'],
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      },
    },
  };
}
