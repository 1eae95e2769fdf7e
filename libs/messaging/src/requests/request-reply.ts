import { Injectable } from '@nestjs/common';
import { ErrorCode, headers as natsHeaders, Msg, NatsError, Subscription } from 'nats';
import { ContractViolation, RequestContract, requestSubject, validateMessage } from '@nwd/contracts';
import { DomainError, ErrorKind } from '@nwd/errors';
import { RequestContext } from '@nwd/observability';
import { NatsClient } from '../nats/nats-client';
import { REQUEST_ID_HEADER } from '../outbox/outbox-relay';

/** A DomainError travels with its extensions (field problems, what is missing), so the asker can answer as if it were its own. */
type Reply<R> =
  | { ok: true; data: R }
  | { ok: false; error: { code: string; kind: ErrorKind; message: string; extensions?: Record<string, unknown> } };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Asks another service a question over NATS request/reply; its DomainErrors come back as DomainErrors.
 * Each side validates what it receives against the contract (the responder the request, the asker
 * the reply) and trusts nothing it is sent; what it sends it does not validate again, since the other
 * side does and a violation comes back as `messaging.contract-violation` either way.
 */
@Injectable()
export class MessagingClient {
  constructor(private readonly nats: NatsClient) {}

  async request<Q extends object, R extends object>(
    contract: RequestContract<Q, R>,
    data: Q,
    { timeoutMs = 2000 }: { timeoutMs?: number } = {},
  ): Promise<R> {
    const headers = natsHeaders();
    const requestId = RequestContext.requestId();
    if (requestId) headers.set(REQUEST_ID_HEADER, requestId);
    let message: Msg;
    try {
      message = await this.nats.connection.request(this.nats.subject(requestSubject(contract)), encoder.encode(JSON.stringify(data)), {
        timeout: timeoutMs,
        headers,
      });
    } catch (error) {
      if (error instanceof NatsError && error.code === ErrorCode.NoResponders) {
        throw DomainError.unavailable('messaging.no-responders', `Nobody answers ${contract.subject} right now`);
      }
      if (error instanceof NatsError && error.code === ErrorCode.Timeout) {
        throw DomainError.unavailable('messaging.timeout', `No answer to ${contract.subject} within ${timeoutMs} ms`);
      }
      throw DomainError.unavailable('messaging.unavailable', `Could not ask ${contract.subject}: ${String(error)}`);
    }
    const reply = JSON.parse(decoder.decode(message.data)) as Reply<R>;
    if (reply.ok === false) throw DomainError.foreign(reply.error);
    if (reply.ok !== true) throw DomainError.unavailable('messaging.bad-reply', `Unexpected reply to ${contract.subject}`);
    return validateMessage(contract.subject, contract.response, reply.data);
  }
}

export type RequestHandlerFn = (request: object) => Promise<object>;

/** Serves one request/reply contract; instances of a service share the work through a queue group. */
export class RequestResponder {
  private subscription?: Subscription;

  constructor(
    private readonly contract: RequestContract<object, object>,
    private readonly handler: RequestHandlerFn,
    private readonly nats: NatsClient,
    private readonly queue: string,
  ) {}

  get subject(): string {
    return this.contract.subject;
  }

  start(): void {
    this.subscription = this.nats.connection.subscribe(this.nats.subject(requestSubject(this.contract)), {
      queue: this.queue,
      callback: (error, message) => {
        if (!error) void this.answer(message);
      },
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.drain().catch(() => undefined);
  }

  private async answer(message: Msg): Promise<void> {
    const requestId = message.headers?.get(REQUEST_ID_HEADER) || undefined;
    const reply = await RequestContext.run(requestId, async (): Promise<Reply<object>> => {
      try {
        const request = validateMessage(this.contract.subject, this.contract.request, JSON.parse(decoder.decode(message.data)));
        const response = await this.handler(request);
        return { ok: true, data: response };
      } catch (error) {
        if (error instanceof DomainError) {
          return { ok: false, error: { code: error.code, kind: error.kind, message: error.message, extensions: error.extensions } };
        }
        if (error instanceof ContractViolation) return { ok: false, error: { code: 'messaging.contract-violation', kind: 'invalid', message: error.message } };
        return { ok: false, error: { code: 'messaging.responder-failed', kind: 'unavailable', message: `${this.contract.subject} failed` } };
      }
    });
    message.respond(encoder.encode(JSON.stringify(reply)));
  }
}
