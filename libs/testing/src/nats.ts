import { randomBytes } from 'node:crypto';
import { connect } from 'nats';
import { natsUrl, runId } from './environment';

/** Subject/stream namespace for one suite: `t<run><random>` → subjects `t….referral.v1.*`, streams `T…_REFERRAL`. */
export function testNatsPrefix(): string {
  return `t${runId()}${randomBytes(3).toString('hex')}`;
}

/** Deletes the suite's streams; the run's teardown catches what a crashed suite left. */
export async function deleteTestStreams(prefix: string, url = natsUrl()): Promise<void> {
  const nc = await connect({ servers: url.split(',') });
  try {
    const jsm = await nc.jetstreamManager();
    const streamPrefix = `${prefix.toUpperCase()}_`;
    for await (const stream of jsm.streams.list()) {
      if (stream.config.name.startsWith(streamPrefix)) await jsm.streams.delete(stream.config.name);
    }
  } finally {
    await nc.close();
  }
}
