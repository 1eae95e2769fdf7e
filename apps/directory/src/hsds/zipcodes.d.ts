/** The part of the `zipcodes` package (US ZIP code centroids) the directory uses; it ships no types. */
declare module 'zipcodes' {
  interface ZipCode {
    zip: string;
    latitude: number;
    longitude: number;
    city: string;
    state: string;
    country: string;
  }
  function lookup(zip: string | number): ZipCode | undefined;
  function random(): ZipCode;
  const codes: Record<string, ZipCode>;
  export { lookup, random, codes, ZipCode };
}
