export interface FailedSecretBackoffOptions {
  /** Failed secret checks of one client id before it is locked. */
  failuresBeforeLock: number;
  /** The first lock; each further failure doubles it. */
  firstLockMs: number;
  /** No lock lasts longer than this, however many failures. */
  maxLockMs: number;
  /** Failures older than this (since the last one) are forgotten. */
  forgetAfterMs: number;
  /** An address this client authenticated from within this time is never locked out by failures elsewhere. */
  knownAddressMs: number;
  /** Client ids remembered at most (unknown ids count too), oldest forgotten first, so memory stays bounded. */
  maxTracked: number;
}

interface Failures {
  count: number;
  lastAt: number;
  lockedUntil: number;
}

/**
 * Exponential back-off per client id after failed secret checks, so guessing a client's secret
 * gets slower and slower and costs no scrypt work while locked. Unknown client ids are tracked like
 * known ones: a lock must not reveal which ids exist. Bounded both ways: a lock lasts at most
 * `maxLockMs`, and an address the client itself authenticated from recently is exempt, so an
 * attacker elsewhere cannot keep a working integration out. In this process's memory: each
 * directory instance keeps its own, and a restart forgets.
 */
export class FailedSecretBackoff {
  private readonly failures = new Map<string, Failures>();
  private readonly knownAddresses = new Map<string, Map<string, number>>();

  constructor(
    private readonly options: FailedSecretBackoffOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until `clientId` may try again from `address`, or 0. */
  lockedFor(clientId: string, address: string): number {
    const entry = this.failures.get(clientId);
    if (!entry) return 0;
    const now = this.now();
    if (now >= entry.lockedUntil) return 0;
    const seenAt = this.knownAddresses.get(clientId)?.get(address);
    if (seenAt !== undefined && now - seenAt < this.options.knownAddressMs) return 0;
    return entry.lockedUntil - now;
  }

  failed(clientId: string): void {
    const now = this.now();
    const previous = this.failures.get(clientId);
    const count = previous && now - previous.lastAt < this.options.forgetAfterMs ? previous.count + 1 : 1;
    const beyond = count - this.options.failuresBeforeLock;
    const lockMs = beyond < 0 ? 0 : Math.min(this.options.firstLockMs * 2 ** beyond, this.options.maxLockMs);
    this.remember(this.failures, clientId, { count, lastAt: now, lockedUntil: now + lockMs });
  }

  succeeded(clientId: string, address: string): void {
    this.failures.delete(clientId);
    const addresses = this.knownAddresses.get(clientId) ?? new Map<string, number>();
    addresses.delete(address);
    addresses.set(address, this.now());
    // A client behind a pool of egress addresses keeps the most recent few.
    while (addresses.size > 16) addresses.delete(addresses.keys().next().value!);
    this.remember(this.knownAddresses, clientId, addresses);
  }

  private remember<V>(map: Map<string, V>, key: string, value: V): void {
    map.delete(key); // re-inserted last: Map order is then least recently touched first
    map.set(key, value);
    while (map.size > this.options.maxTracked) map.delete(map.keys().next().value!);
  }
}
