import { revocationList } from './revocation-list';

describe('revocationList', () => {
  it('names each revoked user with its JWT’s issue time in whole seconds', () => {
    expect(
      revocationList([
        { publicKey: 'UAAA', issuedAt: new Date('2026-12-01T10:00:00.000Z') },
        { publicKey: 'UBBB', issuedAt: new Date('2026-12-01T10:00:05.999Z') },
      ]),
    ).toEqual({ UAAA: 1796119200, UBBB: 1796119205 });
  });

  it('is empty with nothing revoked', () => {
    expect(revocationList([])).toEqual({});
  });
});
