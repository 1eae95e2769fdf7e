import { decode, parseCreds } from '@nats-io/jwt';
import { createNetworkKeys, partnerIssuerMaterial } from './network-credentials';
import { PartnerIssuer } from './partner-issuer';
import { partnerPermissions } from './permissions';

const ORG = '0b0c6a3e-8f0e-4a57-9d0e-1f7f3c2a0a01';

describe('PartnerIssuer', () => {
  it('signs a new user per credential with the network account, carrying the organization’s permissions only', async () => {
    const keys = createNetworkKeys();
    const issuer = new PartnerIssuer(await partnerIssuerMaterial(keys));
    const first = await issuer.issue(ORG, 'tabc');
    const second = await issuer.issue(ORG, 'tabc');
    expect(first.publicKey).not.toBe(second.publicKey);

    const { jwt, aid } = await parseCreds(new TextEncoder().encode(first.creds));
    expect(aid).toBe(keys.account.getPublicKey());
    expect(first.creds).toMatch(/-----BEGIN USER NKEY SEED-----\nSU[A-Z2-7]+\n/);
    const claims = decode<{ pub: unknown; sub: unknown; resp?: unknown }>(jwt);
    expect(claims.iss).toBe(keys.account.getPublicKey());
    expect(claims.sub).toBe(first.publicKey);
    expect(claims.name).toBe(`partner.${ORG}`);
    const { pub, sub } = partnerPermissions(ORG, 'tabc');
    expect(claims.nats.pub).toEqual(pub);
    expect(claims.nats.sub).toEqual(sub);
    expect(claims.nats.resp).toBeUndefined();
    expect(first.issuedAt.getTime()).toBe(claims.iat * 1000);
  });

  it('refuses material whose account seed is not the account it names', async () => {
    const material = await partnerIssuerMaterial(createNetworkKeys());
    expect(() => new PartnerIssuer({ ...material, account: createNetworkKeys().account.getPublicKey() })).toThrow(/does not match/);
  });
});
