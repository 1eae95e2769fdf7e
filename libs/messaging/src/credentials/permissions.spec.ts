import { NETWORK_SERVICES } from '@nwd/contracts';
import { checkNetworkMessaging, servicePermissions, undeclaredMessaging } from './permissions';

describe('servicePermissions', () => {
  it('lets only the directory publish identity and directory events, and only the referral service referral events', () => {
    const publishers = (subject: string) => NETWORK_SERVICES.filter((s) => servicePermissions(s, '').pub.allow.includes(subject));
    expect(publishers('identity.v1.>')).toEqual(['directory']);
    expect(publishers('directory.v1.>')).toEqual(['directory']);
    expect(publishers('referral.v1.>')).toEqual(['referral']);
  });

  it('lets only the directory subscribe to its request subjects (and answer them), while the referral service may ask', () => {
    const subscribers = NETWORK_SERVICES.filter((s) => servicePermissions(s, '').sub.allow.includes('rpc.directory.v1.organization.get'));
    expect(subscribers).toEqual(['directory']);
    expect(servicePermissions('directory', '').resp).toEqual({ max: 1, ttl: 0 });
    expect(servicePermissions('referral', '').resp).toBeUndefined();
    expect(servicePermissions('referral', '').pub.allow).toContain('rpc.directory.v1.organization.get');
  });

  it('names every stream, consumer, filter, ack, DLQ and inbox subject with the prefix, and nothing without it', () => {
    const { pub, sub } = servicePermissions('referral', 'tabc');
    expect(pub.allow).toEqual(
      expect.arrayContaining([
        '$JS.API.STREAM.UPDATE.TABC_REFERRAL',
        'tabc.referral.v1.>',
        '$JS.API.CONSUMER.CREATE.TABC_DIRECTORY.tabc_referral-service-capacity.tabc.directory.v1.capacity-changed',
        '$JS.API.CONSUMER.MSG.NEXT.TABC_DIRECTORY.tabc_referral-service-capacity',
        '$JS.ACK.TABC_DIRECTORY.tabc_referral-service-capacity.>',
        'tabc.dlq.referral-service-capacity',
        'tabc.rpc.directory.v1.service.get',
      ]),
    );
    expect(sub.allow).toEqual(['_INBOX.tabc.referral.>']);
    for (const subject of pub.allow.filter((s) => s !== '$JS.API.INFO')) expect(subject).toMatch(/tabc|TABC/);
  });

  it('lets a service hear the events it listens to (a decision cache), and publish none of them', () => {
    const { pub, sub } = servicePermissions('notifications', 'tabc');
    expect(sub.allow).toEqual(
      expect.arrayContaining(['tabc.consent.v1.granted', 'tabc.consent.v1.revoked', 'tabc.consent.v1.expired', 'tabc.identity.v1.organization-protections-changed']),
    );
    expect(pub.allow.filter((s) => s.includes('consent.v1.'))).toEqual(['tabc.rpc.consent.v1.decide', 'tabc.rpc.consent.v1.disclose']);
    expect(servicePermissions('reporting', 'tabc').sub.allow).toEqual(['_INBOX.tabc.reporting.>']);
  });

  it('lets only the notifications service list and delete consumers on PARTNER (partners’ push consumers)', () => {
    const supervisors = NETWORK_SERVICES.filter((s) => servicePermissions(s, 'tabc').pub.allow.includes('$JS.API.CONSUMER.DELETE.TABC_PARTNER.*'));
    expect(supervisors).toEqual(['notifications']);
    expect(servicePermissions('notifications', 'tabc').pub.allow).toContain('$JS.API.CONSUMER.LIST.TABC_PARTNER');
    expect(servicePermissions('notifications', 'tabc').pub.allow.filter((s) => /CONSUMER\.(LIST|DELETE)\.TABC_(REFERRAL|IDENTITY)/.test(s))).toEqual([]);
  });

  it('gives readers of a stream no update, delete or purge of it', () => {
    for (const service of NETWORK_SERVICES.filter((s) => s !== 'directory')) {
      expect(servicePermissions(service, '').pub.allow.filter((s) => /STREAM\.(CREATE|UPDATE|DELETE|PURGE)\.IDENTITY/.test(s))).toEqual([]);
    }
  });

  it('rests on consistent declarations (durables named after their service, one answering service per request)', () => {
    expect(() => checkNetworkMessaging()).not.toThrow();
  });
});

describe('undeclaredMessaging (checked at boot)', () => {
  it('names a network service’s consumers and responders that its declaration lacks', () => {
    expect(undeclaredMessaging('consent', [{ durable: 'consent-snoop', subject: 'referral.v1.requested' }], ['directory.v1.organization.get'])).toEqual([
      'consumer consent-snoop of referral.v1.requested',
      'responder of directory.v1.organization.get',
    ]);
  });

  it('accepts what is declared, and services outside the network', () => {
    expect(undeclaredMessaging('referral', [{ durable: 'referral-service-capacity', subject: 'directory.v1.capacity-changed' }], [])).toEqual([]);
    expect(undeclaredMessaging('directory', [], ['directory.v1.organization.get', 'directory.v1.service.get'])).toEqual([]);
    expect(undeclaredMessaging('probe', [{ durable: 'probe-recorder', subject: 'probe.v1.happened' }], ['probe.v1.echo'])).toEqual([]);
  });
});
