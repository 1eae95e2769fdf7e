/**
 * A relay process that dies by SIGKILL right after JetStream acknowledged its batch and before it
 * marks the rows published: the worst moment for a crash. Run by messaging.e2e-spec.ts.
 */
import { connect } from 'nats';
import { OutboxRelay } from '../src/outbox/outbox-relay';

async function main(): Promise<void> {
  const prefix = process.env.NWD_NATS_PREFIX ?? '';
  const nc = await connect({ servers: process.env.NATS_URL });
  const relay = new OutboxRelay({
    databaseUrl: process.env.DATABASE_URL!,
    js: () => nc.jetstream(),
    subject: (s) => (prefix ? `${prefix}.${s}` : s),
    logger: { log: (m) => process.stderr.write(`${JSON.stringify(m)}\n`), warn: (m) => process.stderr.write(`${JSON.stringify(m)}\n`) },
    afterPublish: (ids) => {
      process.stdout.write(`published ${ids.length}\n`);
      process.kill(process.pid, 'SIGKILL');
    },
  });
  relay.start();
}

void main();
