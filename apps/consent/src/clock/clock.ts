import { Injectable } from '@nestjs/common';

/**
 * The consent service's notion of "now": disclosures, consent periods and expiries are stamped and
 * judged with it, so tests replace it (`jest.spyOn(app.get(Clock), 'now')`) rather than wait.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
