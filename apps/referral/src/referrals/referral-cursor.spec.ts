import { ReferralCursor } from './referral-cursor';

describe('ReferralCursor', () => {
  const cursor = { at: new Date('2025-11-26T15:00:00.123Z'), id: '0190f0a4-0000-7000-8000-000000000001' };

  it('reads back what it wrote, as an opaque URL-safe string', () => {
    const encoded = ReferralCursor.encode(cursor);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(ReferralCursor.decode(encoded)).toEqual(cursor);
  });

  it.each([
    ['not base64 JSON', 'not-a-cursor'],
    ['a bad date', Buffer.from(JSON.stringify(['yesterday', cursor.id])).toString('base64url')],
    ['an id that is no UUID', Buffer.from(JSON.stringify([cursor.at.toISOString(), 'R-123'])).toString('base64url')],
  ])('refuses %s with a 400 naming cursor', (_, encoded) => {
    expect(() => ReferralCursor.decode(encoded)).toThrow(
      expect.objectContaining({ kind: 'invalid', extensions: { errors: [{ field: 'cursor', messages: [expect.any(String)] }] } }),
    );
  });
});
