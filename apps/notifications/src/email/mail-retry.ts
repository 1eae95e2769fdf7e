export interface MailRetryPolicy {
  baseSeconds: number;
  maxSeconds: number;
  maxAttempts: number;
}

export type MailFailureDecision = { action: 'retry'; at: Date } | { action: 'give-up' };

/**
 * After the `attempt`-th failed send (1-based): wait base·2^(attempt−1), capped, with up to a fifth
 * of it as jitter so a relay coming back is not hit by every replica's backlog at once; give up after the last.
 * `random` is a parameter so the schedule is a pure function of its inputs.
 */
export function decideOnMailFailure(attempt: number, now: Date, policy: MailRetryPolicy, random: number = Math.random()): MailFailureDecision {
  if (attempt >= policy.maxAttempts) return { action: 'give-up' };
  const delaySeconds = mailRetryDelaySeconds(attempt, policy, random);
  return { action: 'retry', at: new Date(now.getTime() + delaySeconds * 1000) };
}

export function mailRetryDelaySeconds(attempt: number, { baseSeconds, maxSeconds }: Pick<MailRetryPolicy, 'baseSeconds' | 'maxSeconds'>, random = 0): number {
  const exponential = Math.min(baseSeconds * 2 ** Math.max(0, attempt - 1), maxSeconds);
  return exponential + Math.floor(exponential * 0.2 * Math.min(Math.max(random, 0), 1));
}
