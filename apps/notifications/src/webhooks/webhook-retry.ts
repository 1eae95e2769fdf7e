export interface RetrySchedule {
  /** First delay; each later one doubles. */
  baseMs: number;
  maxDelayMs: number;
  /** Retries stop once this long has passed since the delivery's first try (or its redelivery). */
  windowMs: number;
}

export type RetryDecision = { action: 'retry'; at: Date } | { action: 'give-up' };

/**
 * When to try a failed delivery again: exponential backoff with "equal jitter" (half the delay
 * fixed, half random), so receivers coming back from an outage are not hit by every sender at
 * once; after the retry window, give up (the endpoint is then disabled).
 * `attempts` counts tries so far, including the one that just failed.
 */
export function decideRetry(
  schedule: RetrySchedule,
  attempts: number,
  windowStartedAt: Date,
  now: Date,
  random: () => number = Math.random,
): RetryDecision {
  if (now.getTime() - windowStartedAt.getTime() >= schedule.windowMs) return { action: 'give-up' };
  const ceiling = Math.min(schedule.maxDelayMs, schedule.baseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 40));
  const delay = ceiling / 2 + random() * (ceiling / 2);
  return { action: 'retry', at: new Date(now.getTime() + Math.round(delay)) };
}

/** A receiver's answer counts as delivered only with a 2xx; redirects are failures (they are not followed). */
export function isDelivered(statusCode: number | undefined): boolean {
  return statusCode !== undefined && statusCode >= 200 && statusCode < 300;
}
