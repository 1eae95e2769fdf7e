import * as zipcodes from 'zipcodes';
import { DomainError } from '@nwd/errors';

export interface Postcode {
  postcode: string;
  latitude: number;
  longitude: number;
  city: string;
  state: string;
}

/** US ZIP code centroids from the maintained `zipcodes` dataset; an unknown code is the caller's field error. */
export function resolvePostcode(postcode: string, field = 'postcode'): Postcode {
  const found = zipcodes.lookup(postcode);
  if (!found) {
    throw DomainError.invalidField(field, `${field} ${postcode} is not a known US ZIP code`, `Unknown postcode ${postcode}`);
  }
  return { postcode, latitude: found.latitude, longitude: found.longitude, city: found.city, state: found.state };
}
