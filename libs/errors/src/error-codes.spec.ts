import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DomainError } from './domain-error';
import { ERROR_CATALOG, ERROR_CODES, ErrorCode, isErrorCode, kindOf } from './error-codes';

const ROOT = join(__dirname, '../../..');

/** Production sources: what partners can ever see a code from (tests and migrations left out). */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'migrations' || name === 'node_modules' ? [] : sources(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.e2e-spec.ts') ? [path] : [];
  });
}

const files = ['apps', 'libs']
  .flatMap((top) => readdirSync(join(ROOT, top)).map((name) => join(ROOT, top, name, 'src')))
  .filter((dir) => statSync(dir, { throwIfNoEntry: false })?.isDirectory())
  .flatMap(sources)
  .filter((path) => !path.endsWith(join('errors', 'src', 'error-codes.ts')))
  .map((path) => ({ path: relative(ROOT, path), text: readFileSync(path, 'utf8') }));

/** The kind each DomainError constructor gives its code. */
const CONSTRUCTOR_KINDS = {
  invalid: 'invalid',
  unauthenticated: 'unauthenticated',
  notFound: 'not-found',
  forbidden: 'forbidden',
  conflict: 'conflict',
  unprocessable: 'unprocessable',
  rateLimited: 'rate-limited',
  unavailable: 'unavailable',
} as const;

describe('the error catalog', () => {
  it('has one entry per listed code, each listed once, with a title', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    expect(Object.keys(ERROR_CATALOG).sort()).toEqual([...ERROR_CODES].sort());
    for (const code of ERROR_CODES) {
      // `consent-required` is spelt as the FHIR facade's OperationOutcome code too, so it has no owner prefix.
      expect(code).toMatch(code === 'consent-required' ? /^consent-required$/ : /^[a-z-]+\.[a-z0-9-]+$/);
      expect(ERROR_CATALOG[code].title.length).toBeGreaterThan(3);
    }
  });

  it('lists only codes the code base uses', () => {
    const unused = ERROR_CODES.filter((code) => !files.some((file) => file.text.includes(`'${code}'`)));
    expect(unused).toEqual([]);
  });

  it('knows every code thrown with a DomainError constructor, and its kind matches the constructor', () => {
    const calls = files.flatMap(({ path, text }) =>
      [...text.matchAll(/DomainError\.(\w+)\(\s*'([a-z-]+\.[a-z0-9-]+)'/g)].map(([, constructor, code]) => ({ path, constructor, code })),
    );
    expect(calls.length).toBeGreaterThan(40);
    const wrong = calls.filter(({ constructor, code }) => {
      if (!isErrorCode(code)) return true;
      const kind = CONSTRUCTOR_KINDS[constructor as keyof typeof CONSTRUCTOR_KINDS];
      return kind !== undefined && kind !== kindOf(code);
    });
    expect(wrong).toEqual([]);
  });

  it('gives each error its catalog kind', () => {
    expect(DomainError.of('oauth.invalid-client', 'no').kind).toBe('unauthenticated');
    expect(DomainError.of('directory.service-not-found', 'no').kind).toBe('not-found');
    expect(DomainError.invalidField('at', 'at must not be in the future')).toMatchObject({
      code: 'request.validation-failed',
      kind: 'invalid',
      message: 'Invalid at',
      extensions: { errors: [{ field: 'at', messages: ['at must not be in the future'] }] },
    });
    expect(DomainError.invalidFields([{ field: 'a', messages: ['x'] }, { field: 'b', messages: ['y'] }]).message).toBe('Invalid a, b');
    expect(DomainError.invalidField('lat', 'lat and lon must both be given', 'lat and lon go together').message).toBe('lat and lon go together');
  });

  it('does not compile a misspelt code or a code of another kind', () => {
    const misspelt = (): ErrorCode =>
      // @ts-expect-error: no such code
      'directory.organisation-not-found';
    // @ts-expect-error: referral.final is a conflict, not a not-found
    const wrongKind = () => DomainError.notFound('referral.final', 'x');
    expect(misspelt()).toBe('directory.organisation-not-found');
    expect(wrongKind().kind).toBe('not-found');
    expect(isErrorCode(misspelt())).toBe(false);
  });
});
