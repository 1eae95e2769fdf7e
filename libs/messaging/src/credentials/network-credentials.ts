import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createAccount,
  createOperator,
  createUser,
  encodeAccount,
  encodeOperator,
  encodeUser,
  fmtCreds,
  fromSeed,
  KeyPair,
} from '@nats-io/jwt';
import { NETWORK_SERVICES, NetworkService } from '@nwd/contracts';
import { checkNetworkMessaging, NatsPermissions, servicePermissions } from './permissions';

/**
 * The network's NATS trust chain (decentralized JWT auth): an operator signs the system account
 * and one network account with JetStream; the network account signs one user per service whose
 * JWT carries that service's permissions, and one per partner credential (the notifications
 * service issues those). The server holds only the operator and account JWTs (a `full`
 * resolver preloaded with them), so users are issued and rotated without touching the server;
 * revoking one is an account JWT update, pushed to the running server on `$SYS.REQ.CLAIMS.UPDATE`
 * by the claims updater (a system account user) and signed with the operator's signing key.
 */
export interface NetworkKeys {
  operator: KeyPair;
  /** Signs account JWTs (the operator's own key stays in the store): the partner issuer re-signs the network account with it. */
  operatorSigning: KeyPair;
  system: KeyPair;
  account: KeyPair;
  /** A system account user that may only look up and push account JWTs. */
  claimsUpdater: KeyPair;
  /** Revoked user public keys → revoked-at (seconds): JWTs of those users issued before it are refused. */
  revocations: Record<string, number>;
}

export interface NetworkJwts {
  operator: string;
  system: string;
  account: string;
}

const CONNECTION_LIMITS = { subs: -1, data: -1, payload: -1, imports: -1, exports: -1, wildcards: true, conn: -1, leaf: -1 };
const UNLIMITED_ACCOUNT = {
  ...CONNECTION_LIMITS,
  // JetStream for the network account (the system account has none).
  mem_storage: -1, disk_storage: -1, streams: -1, consumer: -1,
};

export function createNetworkKeys(): NetworkKeys {
  return {
    operator: createOperator(),
    operatorSigning: createOperator(),
    system: createAccount(),
    account: createAccount(),
    claimsUpdater: createUser(),
    revocations: {},
  };
}

export async function networkJwts(keys: NetworkKeys): Promise<NetworkJwts> {
  const operator = await encodeOperator('no-wrong-door', keys.operator, {
    system_account: keys.system.getPublicKey(),
    signing_keys: [keys.operatorSigning.getPublicKey()],
  });
  // Connections for the claims updater (the system account's default limits allow none).
  const system = await encodeAccount('SYS', keys.system, { limits: CONNECTION_LIMITS as never }, { signer: keys.operator });
  const account = await encodeAccount(
    'NETWORK',
    keys.account,
    { limits: UNLIMITED_ACCOUNT as never, revocations: keys.revocations },
    { signer: keys.operator },
  );
  return { operator, system, account };
}

/** A `.creds` file (user JWT + seed) for a user of the network account with these permissions. */
export async function userCredentials(keys: NetworkKeys, name: string, user: KeyPair, permissions: NatsPermissions): Promise<string> {
  const jwt = await encodeUser(name, user, keys.account, permissions as never);
  return new TextDecoder().decode(fmtCreds(jwt, user));
}

export async function serviceCredentials(keys: NetworkKeys, service: NetworkService, prefix: string, user: KeyPair): Promise<string> {
  return userCredentials(keys, prefix ? `${prefix}.${service}` : service, user, servicePermissions(service, prefix));
}

/** The subjects the claims updater uses: look up the network account's JWT, push a new one. */
export const CLAIMS_LOOKUP = (account: string) => `$SYS.REQ.ACCOUNT.${account}.CLAIMS.LOOKUP`;
export const CLAIMS_UPDATE = '$SYS.REQ.CLAIMS.UPDATE';
export const CLAIMS_UPDATER_INBOX = '_INBOX.claims-updater';

export async function claimsUpdaterCredentials(keys: NetworkKeys): Promise<string> {
  const jwt = await encodeUser('claims-updater', keys.claimsUpdater, keys.system, {
    pub: { allow: [CLAIMS_LOOKUP(keys.account.getPublicKey()), CLAIMS_UPDATE] },
    sub: { allow: [`${CLAIMS_UPDATER_INBOX}.>`] },
  } as never);
  return new TextDecoder().decode(fmtCreds(jwt, keys.claimsUpdater));
}

/**
 * What the notifications service needs to issue and revoke partners' credentials (`partner-issuer.json`,
 * NWD_PARTNER_NATS_ISSUER_FILE): the network account's seed to sign partner users, the operator's
 * signing key to re-sign the account JWT with their revocations, and the claims updater's
 * credentials to push it. Whoever holds it can sign accounts: mount it into the notifications service only.
 */
export interface PartnerIssuerMaterial {
  account: string;
  accountSeed: string;
  operatorSigningSeed: string;
  claimsUpdaterCreds: string;
}

export async function partnerIssuerMaterial(keys: NetworkKeys): Promise<PartnerIssuerMaterial> {
  return {
    account: keys.account.getPublicKey(),
    accountSeed: text(keys.account.getSeed()),
    operatorSigningSeed: text(keys.operatorSigning.getSeed()),
    claimsUpdaterCreds: await claimsUpdaterCredentials(keys),
  };
}

export interface ServerConfigOptions {
  host: string;
  port: number;
  /** JetStream's store; absent, the command line gives it (`-sd`), as a test-owned server does. */
  storeDir?: string;
  /** Where the server keeps the account JWTs it was sent (revocations survive its restarts); default `<storeDir>/accounts`. */
  resolverDir?: string;
  /** Server certificate and key: clients then connect with `tls://` and the CA. */
  tls?: { certFile: string; keyFile: string };
  /** HTTP monitoring port (health checks). */
  monitorPort?: number;
}

/** A nats-server configuration trusting only the network's operator, with JetStream. */
export function natsServerConfig(jwts: NetworkJwts, keys: NetworkKeys, options: ServerConfigOptions & { resolverDir: string }): string {
  const lines = [
    '# Generated by `npm run nats:credentials`; regenerate rather than edit.',
    `host: ${JSON.stringify(options.host)}`,
    `port: ${options.port}`,
    ...(options.monitorPort ? [`http_port: ${options.monitorPort}`] : []),
    // A service's CONNECT carries its user JWT, whose permissions grow with its declared messaging
    // (the referral service's passed the 4 KiB default with its consent consumers).
    'max_control_line: 16384',
    `operator: ${JSON.stringify(jwts.operator)}`,
    `system_account: ${keys.system.getPublicKey()}`,
    // A full resolver accepts account JWT updates at run time (`$SYS.REQ.CLAIMS.UPDATE`): a revoked
    // partner credential is cut off at once, with no reload. The preload seeds it with these JWTs.
    `resolver: { type: full, dir: ${JSON.stringify(options.resolverDir)}, allow_delete: false, interval: "2m" }`,
    'resolver_preload: {',
    `  ${keys.system.getPublicKey()}: ${JSON.stringify(jwts.system)}`,
    `  ${keys.account.getPublicKey()}: ${JSON.stringify(jwts.account)}`,
    '}',
    options.storeDir ? `jetstream { store_dir: ${JSON.stringify(options.storeDir)} }` : 'jetstream: enabled',
    ...(options.tls
      ? ['tls {', `  cert_file: ${JSON.stringify(options.tls.certFile)}`, `  key_file: ${JSON.stringify(options.tls.keyFile)}`, '  timeout: 2', '}']
      : []),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * The keys of one network kept in a folder (seeds only, mode 0600; never committed): the
 * operator, the two accounts, one user per service and the revocation list. Everything else
 * (server configuration, `.creds`) is derived from them and can be regenerated at any time.
 */
export class CredentialStore {
  constructor(readonly dir: string) {}

  load(): { keys: NetworkKeys; users: Record<NetworkService, KeyPair> } {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const file = join(this.dir, 'keys.json');
    const stored = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as StoredKeys) : undefined;
    const keys: NetworkKeys = stored
      ? {
          operator: seed(stored.operator),
          // Stores from before partner credentials get these keys on their next load.
          operatorSigning: stored.operatorSigning ? seed(stored.operatorSigning) : createOperator(),
          system: seed(stored.system),
          account: seed(stored.account),
          claimsUpdater: stored.claimsUpdater ? seed(stored.claimsUpdater) : createUser(),
          revocations: stored.revocations,
        }
      : createNetworkKeys();
    const users = Object.fromEntries(
      NETWORK_SERVICES.map((service) => [service, stored?.users[service] ? seed(stored.users[service]!) : createUser()]),
    ) as Record<NetworkService, KeyPair>;
    this.save(keys, users);
    return { keys, users };
  }

  /** New user keys for the services named; the old users are revoked from the next server (re)load. */
  rotate(services: readonly NetworkService[]): void {
    const { keys, users } = this.load();
    const now = Math.floor(Date.now() / 1000);
    for (const service of services) {
      keys.revocations[users[service].getPublicKey()] = now;
      users[service] = createUser();
    }
    this.save(keys, users);
  }

  /** Writes `nats-server.conf`, `<service>.creds` for a prefix and `partner-issuer.json`; returns their paths. */
  async write(
    options: ServerConfigOptions & { prefix?: string },
  ): Promise<{ serverConfig: string; creds: Record<NetworkService, string>; partnerIssuer: string }> {
    checkNetworkMessaging();
    const { keys, users } = this.load();
    const jwts = await networkJwts(keys);
    const serverConfig = join(this.dir, 'nats-server.conf');
    const resolverDir = options.resolverDir ?? join(options.storeDir ?? this.dir, 'accounts');
    // Public JWTs only; readable by the server's own user in a container.
    writeFile(serverConfig, natsServerConfig(jwts, keys, { ...options, resolverDir }), 0o644);
    const partnerIssuer = join(this.dir, 'partner-issuer.json');
    // Readable by the notifications service's (container) user, like the .creds below.
    writeFile(partnerIssuer, `${JSON.stringify(await partnerIssuerMaterial(keys), null, 2)}\n`, 0o644);
    const creds = {} as Record<NetworkService, string>;
    for (const service of NETWORK_SERVICES) {
      creds[service] = join(this.dir, `${service}.creds`);
      // Readable by the service's (container) user; the folder itself is 0700. Mount each file into its own service only.
      writeFile(creds[service], await serviceCredentials(keys, service, options.prefix ?? '', users[service]), 0o644);
    }
    return { serverConfig, creds, partnerIssuer };
  }

  async partnerIssuer(): Promise<PartnerIssuerMaterial> {
    return partnerIssuerMaterial(this.load().keys);
  }

  /** The `.creds` text of one service for a prefix. */
  async credentials(service: NetworkService, prefix = ''): Promise<string> {
    const { keys, users } = this.load();
    return serviceCredentials(keys, service, prefix, users[service]);
  }

  private save(keys: NetworkKeys, users: Record<NetworkService, KeyPair>): void {
    const stored: StoredKeys = {
      operator: text(keys.operator.getSeed()),
      operatorSigning: text(keys.operatorSigning.getSeed()),
      system: text(keys.system.getSeed()),
      account: text(keys.account.getSeed()),
      claimsUpdater: text(keys.claimsUpdater.getSeed()),
      revocations: keys.revocations,
      users: Object.fromEntries(NETWORK_SERVICES.map((s) => [s, text(users[s].getSeed())])),
    };
    writeFile(join(this.dir, 'keys.json'), `${JSON.stringify(stored, null, 2)}\n`, 0o600);
  }
}

interface StoredKeys {
  operator: string;
  operatorSigning?: string;
  system: string;
  account: string;
  claimsUpdater?: string;
  revocations: Record<string, number>;
  users: Partial<Record<string, string>>;
}

function seed(value: string): KeyPair {
  return fromSeed(new TextEncoder().encode(value));
}

function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

function writeFile(path: string, content: string, mode: number): void {
  writeFileSync(path, content, { mode });
  chmodSync(path, mode);
}
