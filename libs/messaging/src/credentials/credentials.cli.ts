/**
 * `npm run nats:credentials -- --dir <folder> [options]`: creates the network's NATS keys in
 * <folder> when they are not there yet (kept otherwise), and writes from them `nats-server.conf`,
 * one `<service>.creds` per service and `partner-issuer.json` (the notifications service's).
 * `--rotate <service>|all` gives those services new user keys and revokes the old ones (effective
 * once nats-server loads the new configuration).
 *
 *   --prefix <p>        namespace of subjects and streams (NWD_NATS_PREFIX), default none
 *   --host <h> --port <n> --monitor-port <n> --store-dir <folder>   the server's listen address and JetStream store
 *   --resolver-dir <folder>   where the server keeps the account JWTs pushed to it (default <store-dir>/accounts)
 *   --tls-cert <file> --tls-key <file>                              TLS between services and NATS
 */
import { parseArgs } from 'node:util';
import { isNetworkService, NETWORK_SERVICES, NetworkService } from '@nwd/contracts';
import { CredentialStore } from './network-credentials';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      prefix: { type: 'string', default: '' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '4222' },
      'monitor-port': { type: 'string' },
      'store-dir': { type: 'string' },
      'resolver-dir': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      rotate: { type: 'string', multiple: true },
    },
  });
  if (!values.dir) throw new Error('--dir <folder> is required');
  const store = new CredentialStore(values.dir);
  const rotate = (values.rotate ?? []).flatMap((name) => (name === 'all' ? [...NETWORK_SERVICES] : [name]));
  for (const name of rotate) if (!isNetworkService(name)) throw new Error(`--rotate: unknown service ${name}`);
  if (rotate.length) store.rotate(rotate as NetworkService[]);
  if (Boolean(values['tls-cert']) !== Boolean(values['tls-key'])) throw new Error('--tls-cert and --tls-key go together');
  const written = await store.write({
    prefix: values.prefix,
    host: values.host!,
    port: Number(values.port),
    monitorPort: values['monitor-port'] ? Number(values['monitor-port']) : undefined,
    storeDir: values['store-dir'] ?? `${values.dir}/jetstream`,
    resolverDir: values['resolver-dir'],
    tls: values['tls-cert'] ? { certFile: values['tls-cert'], keyFile: values['tls-key']! } : undefined,
  });
  process.stdout.write(`${JSON.stringify({ rotated: rotate, ...written }, null, 2)}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
