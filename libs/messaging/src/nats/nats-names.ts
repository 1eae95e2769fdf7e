/**
 * How a network's names look on a NATS server: subjects, streams, durables and inboxes carry the
 * prefix (per test suite, or per network sharing a server). One place, so that a connection and
 * the permissions generated for it always agree.
 */
export class NatsNames {
  constructor(readonly prefix: string) {}

  /** `referral.v1.requested` → `<prefix>.referral.v1.requested` */
  subject(subject: string): string {
    return this.prefix ? `${this.prefix}.${subject}` : subject;
  }

  /** Removes the prefix from a subject received from the server. */
  unprefixed(subject: string): string {
    return this.prefix && subject.startsWith(`${this.prefix}.`) ? subject.slice(this.prefix.length + 1) : subject;
  }

  /** `REFERRAL` → `<PREFIX>_REFERRAL` */
  stream(name: string): string {
    return this.prefix ? `${this.prefix.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}_${name}` : name;
  }

  /** Durable consumer names are per stream, but prefix them too so server-wide listings stay readable. */
  durable(name: string): string {
    return this.prefix ? `${this.prefix.replace(/[^a-zA-Z0-9_-]/g, '_')}_${name}` : name;
  }

  /** A service's own reply subjects (`_INBOX.<prefix>.<service>.…`): no other service may read its replies. */
  inbox(service: string): string {
    return `_INBOX.${this.subject(service)}`;
  }
}
