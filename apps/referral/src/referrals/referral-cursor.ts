import { fieldError } from '../loop/referral-lifecycle';

/** Where a page of referrals ended: the sort column's value and the id, opaque to the caller. */
export interface ReferralCursor {
  at: Date;
  id: string;
}

export const ReferralCursor = {
  encode({ at, id }: ReferralCursor): string {
    return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
  },

  /** A cursor that is not one of ours is the caller's mistake: a 400 naming it. */
  decode(cursor: string): ReferralCursor {
    try {
      const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
      const date = new Date(at);
      if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(date.getTime())) throw new Error('bad cursor');
      return { at: date, id };
    } catch {
      throw fieldError('cursor', 'cursor must be the nextCursor of a previous page');
    }
  },
};
