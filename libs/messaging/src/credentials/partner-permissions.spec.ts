import { PartnerFeed } from '@nwd/contracts';
import { partnerInbox, partnerPermissions } from './permissions';

const A = '0b0c6a3e-8f0e-4a57-9d0e-1f7f3c2a0a01';
const B = '5d9e2b7c-1a2b-4c3d-8e4f-a5b6c7d8e9f0';

describe('partnerPermissions', () => {
  const { pub, sub, resp } = partnerPermissions(A, 'tabc');

  it('lets an organization hear only its own replies: no feed, wildcard or JetStream subject by core subscription', () => {
    expect(sub.allow).toEqual([`_INBOX.tabc.partner.${A}.>`]);
    expect(partnerInbox(A, 'tabc')).toBe(`_INBOX.tabc.partner.${A}`);
    expect(resp).toBeUndefined();
  });

  it('names for each of its durable slots: create bound to its own feed’s filter, next, info, delete and ack', () => {
    const expected: string[] = [];
    for (let slot = 1; slot <= PartnerFeed.DURABLE_SLOTS; slot++) {
      const durable = `tabc_p-${A}-${slot}`;
      expected.push(
        `$JS.API.CONSUMER.CREATE.TABC_PARTNER.${durable}.tabc.partner.${A}.>`,
        `$JS.API.CONSUMER.MSG.NEXT.TABC_PARTNER.${durable}`,
        `$JS.API.CONSUMER.INFO.TABC_PARTNER.${durable}`,
        `$JS.API.CONSUMER.DELETE.TABC_PARTNER.${durable}`,
        `$JS.ACK.TABC_PARTNER.${durable}.>`,
      );
    }
    expect(pub.allow).toEqual(expected);
  });

  it('gives nothing of streams, listings, the account, the body-filtered durable create or publishing', () => {
    for (const subject of pub.allow) {
      expect(subject).not.toMatch(/\$JS\.API\.(STREAM|DIRECT|INFO|CONSUMER\.(LIST|NAMES|DURABLE))/);
      expect(subject.startsWith('$JS.')).toBe(true);
      expect(subject).toContain(A);
      // No wildcard other than the trailing one (the filter's own `>`, or the ack's token suffix).
      expect(subject.slice(0, -1)).not.toMatch(/[*>]/);
    }
  });

  it('shares no subject with another organization’s permissions', () => {
    const other = partnerPermissions(B, 'tabc');
    expect(pub.allow.filter((s) => other.pub.allow.includes(s))).toEqual([]);
    expect(sub.allow.filter((s) => other.sub.allow.includes(s))).toEqual([]);
    for (const subject of [...pub.allow, ...sub.allow]) expect(subject).not.toContain(B);
  });

  it('has no prefix token without a prefix', () => {
    const plain = partnerPermissions(A, '');
    expect(plain.pub.allow[0]).toBe(`$JS.API.CONSUMER.CREATE.PARTNER.p-${A}-1.partner.${A}.>`);
    expect(plain.sub.allow).toEqual([`_INBOX.partner.${A}.>`]);
  });
});
