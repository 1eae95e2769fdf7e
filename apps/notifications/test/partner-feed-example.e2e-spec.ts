import { execFile } from 'node:child_process';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { natsUrl } from '@nwd/testing';
import { ReferralKit } from '../../referral/test/referral-test-kit';
import { runPartnerFeed } from '../../../examples/partner-feed/partner-feed';

jest.setTimeout(180_000);

const ROOT = join(__dirname, '../../..');

describe('the example partner feed consumer (examples/partner-feed)', () => {
  const kit = ReferralKit.forSuite(undefined, ['consent', 'referral', 'notifications']);
  let urls: { directory: string; referral: string };

  beforeAll(async () => {
    const referral = kit.network.service('referral').app;
    await referral.listen({ port: 0, host: '127.0.0.1' });
    const directoryPort = new URL(kit.network.jwksUrl).port;
    urls = { directory: `http://127.0.0.1:${directoryPort}`, referral: `http://127.0.0.1:${(referral.getHttpServer().address() as AddressInfo).port}` };
  });

  it('compiles on its own, strict', async () => {
    await promisify(execFile)(join(ROOT, 'node_modules/.bin/tsc'), ['-p', join(ROOT, 'examples/partner-feed/tsconfig.json')], { cwd: ROOT });
  });

  it('consumes its feed, fetches the referral, accepts and completes it, and acknowledges', async () => {
    const [clinic, pantry] = await kit.pair();
    const referral = await kit.create(clinic, pantry);
    const lines: string[] = [];

    const handled = await runPartnerFeed({
      natsUrl: natsUrl(),
      prefix: kit.network.natsPrefix,
      organizationId: pantry.id,
      directoryUrl: urls.directory,
      referralUrl: urls.referral,
      clientId: pantry.clientId,
      clientSecret: pantry.clientSecret,
      // Its own request, then the changes it made, coming back through its feed.
      maxMessages: 3,
      log: (line) => lines.push(line),
    });

    expect(handled).toEqual([
      { type: 'referral.v1.requested', referralId: referral.id, action: 'completed' },
      { type: 'referral.v1.accepted', referralId: referral.id, action: 'noted' },
      { type: 'referral.v1.completed', referralId: referral.id, action: 'noted' },
    ]);
    expect(await kit.read(clinic, referral.id)).toMatchObject({ status: 'completed', outcome: 'service-provided', version: 3 });

    // Everything was acknowledged: a second run on the same slot has nothing left of this referral.
    const another = await kit.create(clinic, pantry);
    const next = await runPartnerFeed({
      natsUrl: natsUrl(),
      prefix: kit.network.natsPrefix,
      organizationId: pantry.id,
      directoryUrl: urls.directory,
      referralUrl: urls.referral,
      clientId: pantry.clientId,
      clientSecret: pantry.clientSecret,
      maxMessages: 1,
      log: (line) => lines.push(line),
    });
    expect(next).toEqual([{ type: 'referral.v1.requested', referralId: another.id, action: 'completed' }]);
    expect(lines).not.toContainEqual(expect.stringContaining('could not handle'));
  });
});
