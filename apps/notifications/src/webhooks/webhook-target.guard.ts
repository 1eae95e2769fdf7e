import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Why a target was refused, in words an org admin can act on. */
export class WebhookTargetRefused extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'WebhookTargetRefused';
  }
}

/** A target checked and pinned: connect to `address`, and to nothing the name resolves to later. */
export interface PinnedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

export interface TargetPolicy {
  /** Plain http and loopback, private and link-local addresses (development, and tests' local receivers). */
  allowPrivate: boolean;
}

export type Resolve = (hostname: string) => Promise<{ address: string; family: number }[]>;

const systemResolve: Resolve = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * Cloud metadata endpoints, named on their own although their ranges are refused anyway: a policy
 * that ever lets private ranges through must still never reach these.
 */
const METADATA_ADDRESSES = ['169.254.169.254', 'fd00:ec2::254', '100.100.100.200'];

/**
 * Decides whether a webhook may be sent to a URL (server-side request forgery): only https, and
 * only to public unicast addresses — every address the name resolves to, so one private answer
 * among public ones refuses it. Delivery connects to the address checked here (DNS rebinding
 * cannot swap it) and never follows redirects.
 */
export class WebhookTargetGuard {
  constructor(
    private readonly policy: TargetPolicy,
    private readonly resolve: Resolve = systemResolve,
  ) {}

  /** Checks the URL's form only (no DNS): what registration refuses before resolving. */
  parse(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new WebhookTargetRefused('url must be an absolute URL');
    }
    if (url.protocol !== 'https:' && !(this.policy.allowPrivate && url.protocol === 'http:')) {
      throw new WebhookTargetRefused(this.policy.allowPrivate ? 'url must use http or https' : 'url must use https');
    }
    if (url.username || url.password) throw new WebhookTargetRefused('url must not carry credentials');
    return url;
  }

  /** Resolves the host and checks every address; returns the one to connect to. */
  async pin(raw: string): Promise<PinnedTarget> {
    const url = this.parse(raw);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let answers: { address: string; family: number }[];
    if (isIP(host)) answers = [{ address: host, family: isIP(host) }];
    else {
      try {
        answers = await this.resolve(host);
      } catch {
        throw new WebhookTargetRefused(`url host ${host} does not resolve`);
      }
    }
    if (!answers.length) throw new WebhookTargetRefused(`url host ${host} does not resolve`);
    for (const answer of answers) {
      const refusal = this.refusalOf(answer.address);
      if (refusal) throw new WebhookTargetRefused(`url host ${host} resolves to ${answer.address}, ${refusal}`);
    }
    const [first] = answers;
    return { url, address: first!.address, family: first!.family === 6 ? 6 : 4 };
  }

  /** Why an address may not be a target, or undefined when it may. */
  refusalOf(address: string): string | undefined {
    if (!ipaddr.isValid(address)) return 'not an IP address';
    let parsed = ipaddr.parse(address);
    // ::ffff:10.0.0.1 reaches 10.0.0.1: judge the IPv4 address it carries.
    if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
    const normalized = parsed.toNormalizedString();
    if (METADATA_ADDRESSES.some((m) => ipaddr.parse(m).toNormalizedString() === normalized)) return 'a cloud metadata address';
    const range = parsed.range();
    if (range === 'unicast') return undefined;
    if (this.policy.allowPrivate && PRIVATE_RANGES.has(range)) return undefined;
    return `a ${range} address`;
  }
}

/** Ranges a development or test policy may reach (local receivers); never multicast, broadcast or unspecified. */
const PRIVATE_RANGES = new Set(['loopback', 'private', 'linkLocal', 'uniqueLocal', 'carrierGradeNat']);
