import { Injectable } from '@nestjs/common';

/**
 * The directory's notion of "now": audit records, listing edits and their events, client rotations and
 * revocations, the secret-guessing backoff, "open now" and the schedules still valid today all read it, so
 * tests can replace it (`jest.spyOn(app.get(Clock), 'now')`) rather than wait.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
