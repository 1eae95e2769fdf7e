import { isIP } from 'node:net';
import { ValidateBy } from 'class-validator';

const PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** What Fastify's `trustProxy` takes for NWD_TRUSTED_PROXIES: false (trust nobody), a hop count, or addresses/CIDRs. */
export function trustedProxies(raw: string): false | number | string[] {
  const value = raw.trim();
  if (!value) return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((entry) => entry.trim());
}

function isProxyEntry(entry: string): boolean {
  if (PROXY_RANGES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const version = isIP(address ?? '');
  if (!version || rest.length) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

/** NWD_TRUSTED_PROXIES: empty, a hop count, or addresses/CIDRs (and proxy-addr's range names). */
export function IsTrustedProxies(): PropertyDecorator {
  return ValidateBy({
    name: 'isTrustedProxies',
    validator: {
      validate: (value: unknown) => {
        if (typeof value !== 'string') return false;
        const setting = trustedProxies(value);
        return typeof setting !== 'object' || setting.every(isProxyEntry);
      },
      defaultMessage: () =>
        'NWD_TRUSTED_PROXIES must be empty, a hop count, or comma-separated addresses/CIDRs (or loopback, linklocal, uniquelocal)',
    },
  });
}
