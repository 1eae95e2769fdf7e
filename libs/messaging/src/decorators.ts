import { SetMetadata } from '@nestjs/common';
import { EventContract, RequestContract } from '@nwd/contracts';

export const ON_EVENT = 'nwd:messaging:on-event';
export const ON_REQUEST = 'nwd:messaging:on-request';

export interface OnEventOptions {
  /** Durable consumer name, unique per stream: `<service>-<purpose>`, e.g. `referral-capacity-sync`. */
  durable: string;
  /** Deliveries before the message is parked on the DLQ (default 5). */
  maxDeliver?: number;
  /** Delay before redelivery after the n-th failed delivery (default 200 ms doubling, at most 30 s). */
  backoffMs?: number[];
  /** How long a delivery may take before the server redelivers it (default 30 s). */
  ackWaitMs?: number;
}

export interface OnEventMetadata {
  contract: EventContract<object>;
  options: OnEventOptions;
}

/**
 * Marks a provider method as the handler of one event, or of an event family (`defineEventFamily`:
 * its members in stream order, the handler telling them apart by `event.type`). It runs inside a
 * database transaction guarded by the inbox, and its message is acknowledged only after that
 * transaction commits.
 */
export function OnEvent<P extends object>(contract: EventContract<P>, options: OnEventOptions): MethodDecorator {
  return SetMetadata<string, OnEventMetadata>(ON_EVENT, { contract: contract as EventContract<object>, options });
}

/** Marks a provider method as the responder of a request/reply contract (one queue group per service). */
export function OnRequest<Q extends object, R extends object>(contract: RequestContract<Q, R>): MethodDecorator {
  return SetMetadata(ON_REQUEST, contract);
}
