import { DomainError } from '@nwd/errors';
import type { InboxPosition } from './inbox.repository';

/** Where a page of the inbox ended, opaque to the caller. */
export const InboxCursor = {
  encode({ createdAt, id }: InboxPosition): string {
    return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');
  },

  /** A cursor that is not one of ours is the caller's mistake: a 400 naming it. */
  decode(cursor: string): InboxPosition {
    try {
      const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
      const createdAt = new Date(at);
      if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(createdAt.getTime())) throw new Error('bad cursor');
      return { createdAt, id };
    } catch {
      throw DomainError.invalidField('cursor', 'cursor must be the nextCursor of a previous page');
    }
  },
};
