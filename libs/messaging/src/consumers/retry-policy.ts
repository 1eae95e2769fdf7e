import { isTransient } from '@nwd/errors';
import { ContractViolation } from '@nwd/contracts';

export const DEFAULT_MAX_DELIVER = 5;

export type FailureDecision = { action: 'retry'; delayMs: number } | { action: 'dead-letter'; reason: 'permanent' | 'exhausted' };

/**
 * What to do with a delivery whose handler failed. Contract violations and domain decisions are
 * permanent (retrying cannot help); everything else is retried with backoff until the last delivery.
 */
export function decideOnFailure(
  error: unknown,
  delivery: number,
  maxDeliver: number,
  backoffMs?: number[],
): FailureDecision {
  if (error instanceof ContractViolation || !isTransient(error)) return { action: 'dead-letter', reason: 'permanent' };
  if (delivery >= maxDeliver) return { action: 'dead-letter', reason: 'exhausted' };
  return { action: 'retry', delayMs: backoffDelay(delivery, backoffMs) };
}

export function backoffDelay(delivery: number, schedule?: number[]): number {
  if (schedule?.length) return schedule[Math.min(delivery - 1, schedule.length - 1)]!;
  return Math.min(200 * 2 ** (delivery - 1), 30_000);
}
