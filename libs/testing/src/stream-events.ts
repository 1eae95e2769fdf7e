import { connect } from 'nats';
import type { EventEnvelope } from '@nwd/contracts';
import { natsUrl } from './environment';
import { pollUntil } from './poll';

/**
 * The events on a stream (its full, prefixed name) that `match` picks, read from the start by
 * sequence as any follower would, once at least `expected` of them are there.
 */
export async function streamEvents<T extends object = any>(
  stream: string,
  match: (envelope: EventEnvelope<T>) => boolean,
  { expected = 1, timeoutMs = 15_000 }: { expected?: number; timeoutMs?: number } = {},
): Promise<EventEnvelope<T>[]> {
  const nc = await connect({ servers: natsUrl().split(',') });
  try {
    const jsm = await nc.jetstreamManager();
    return await pollUntil(
      async () => {
        const total = (await jsm.streams.info(stream)).state.messages;
        const found: EventEnvelope<T>[] = [];
        for (let seq = 1; seq <= total; seq++) {
          const envelope = (await jsm.streams.getMessage(stream, { seq })).json<EventEnvelope<T>>();
          if (match(envelope)) found.push(envelope);
        }
        return found;
      },
      (found) => found.length >= expected,
      { timeoutMs, intervalMs: 200, what: `${expected} matching events on ${stream}` },
    );
  } finally {
    await nc.close();
  }
}
