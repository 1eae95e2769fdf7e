import { Injectable } from '@nestjs/common';

/**
 * The service's notion of "now". Everything the platform-standards clock measures is stamped with
 * it, so tests can replace it (`jest.spyOn(app.get(Clock), 'now')`) to put referrals in the past.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
