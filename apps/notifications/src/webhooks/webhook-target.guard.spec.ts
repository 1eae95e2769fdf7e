import { WebhookTargetGuard, WebhookTargetRefused } from './webhook-target.guard';

const strict = (answers: Record<string, string[]> = {}) =>
  new WebhookTargetGuard({ allowPrivate: false }, async (host) => {
    const found = answers[host];
    if (!found) throw new Error('ENOTFOUND');
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  });

async function refusal(guard: WebhookTargetGuard, url: string): Promise<string> {
  try {
    await guard.pin(url);
  } catch (error) {
    if (error instanceof WebhookTargetRefused) return error.reason;
    throw error;
  }
  throw new Error(`${url} was allowed`);
}

describe('WebhookTargetGuard', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.10.10', 'linkLocal'],
    ['169.254.169.254', 'metadata'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['fd00:ec2::254', 'metadata'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'metadata'],
  ])('refuses %s (%s) in strict mode', (address, kind) => {
    expect(strict().refusalOf(address)).toContain(kind === 'metadata' ? 'metadata' : kind);
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('allows the public address %s', (address) => {
    expect(strict().refusalOf(address)).toBeUndefined();
  });

  it('refuses plain http and credentials in strict mode, before resolving', async () => {
    expect(await refusal(strict(), 'http://hooks.example.org/x')).toBe('url must use https');
    expect(await refusal(strict(), 'https://user:pw@hooks.example.org/x')).toContain('credentials');
    expect(await refusal(strict(), 'ftp://hooks.example.org/x')).toBe('url must use https');
    expect(await refusal(strict(), 'not a url')).toContain('absolute URL');
  });

  it('refuses a name that resolves to loopback, or to a private address among public ones', async () => {
    const guard = strict({ 'localhost.example': ['127.0.0.1'], 'mixed.example': ['93.184.215.14', '10.0.0.7'] });
    expect(await refusal(guard, 'https://localhost.example/hook')).toContain('127.0.0.1, a loopback address');
    expect(await refusal(guard, 'https://mixed.example/hook')).toContain('10.0.0.7, a private address');
    expect(await refusal(guard, 'https://nowhere.example/hook')).toContain('does not resolve');
  });

  it('refuses literal addresses in the URL, IPv6 in brackets and IPv4-mapped ones', async () => {
    expect(await refusal(strict(), 'https://127.0.0.1:8443/hook')).toContain('loopback');
    expect(await refusal(strict(), 'https://[::1]/hook')).toContain('loopback');
    expect(await refusal(strict(), 'https://[::ffff:192.168.0.1]/hook')).toContain('private');
    expect(await refusal(strict(), 'https://[fd00:ec2::254]/latest/meta-data')).toContain('metadata');
  });

  it('pins the address it checked', async () => {
    const pinned = await strict({ 'hooks.example.org': ['93.184.215.14'] }).pin('https://hooks.example.org/in');
    expect(pinned).toMatchObject({ address: '93.184.215.14', family: 4 });
    expect(pinned.url.hostname).toBe('hooks.example.org');
  });

  it('lets a development or test policy reach local receivers over http, but never metadata or multicast', async () => {
    const lenient = new WebhookTargetGuard({ allowPrivate: true });
    expect((await lenient.pin('http://127.0.0.1:9999/hook')).address).toBe('127.0.0.1');
    expect(lenient.refusalOf('10.0.0.1')).toBeUndefined();
    expect(lenient.refusalOf('169.254.169.254')).toContain('metadata');
    expect(lenient.refusalOf('fd00:ec2::254')).toContain('metadata');
    expect(lenient.refusalOf('224.0.0.1')).toContain('multicast');
  });
});
