import { basicCredentialProblems, inputProblems, MAX_INPUT_DEPTH } from './input-checks';

describe('inputProblems', () => {
  it('names each string holding a NUL character by its dotted path', () => {
    const body = { client: { givenName: 'Ro\u0000sa', familyName: 'Delgado' }, needs: ['food', '\u0000'] };
    expect(inputProblems(body).map((p) => p.field)).toEqual(['client.givenName', 'needs.1']);
  });

  it('names a query or path parameter by the name it is given', () => {
    expect(inputProblems('a\u0000b', 'q')).toEqual([{ field: 'q', messages: ['q must not contain a NUL character'] }]);
    expect(inputProblems({ q: 'a\u0000b' })).toEqual([{ field: 'q', messages: ['q must not contain a NUL character'] }]);
  });

  it.each(['constructor', 'hasOwnProperty', 'toString', 'valueOf', '__proto__', 'prototype'])('refuses a property named %s at any depth', (key) => {
    const body = JSON.parse(`{"name":"x","client":{"${key}":"y"}}`);
    expect(inputProblems(body)).toEqual([{ field: `client.${key}`, messages: [`property ${key} should not exist`] }]);
  });

  it('refuses nesting deeper than the limit without recursing (100,000 levels)', () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000));
    const [problem] = inputProblems({ name: deep });
    expect(problem!.field).toBe(['name', ...Array(MAX_INPUT_DEPTH - 1).fill('0')].join('.'));
    expect(problem!.messages).toEqual([`${problem!.field} is nested more than ${MAX_INPUT_DEPTH} levels deep`]);
  });

  it('accepts nesting up to the limit', () => {
    let value: unknown = 'leaf';
    for (let i = 0; i < MAX_INPUT_DEPTH; i++) value = [value];
    expect(inputProblems(value)).toEqual([]);
  });

  it('accepts ordinary bodies, numbers, booleans and nulls', () => {
    expect(inputProblems({ a: 1, b: true, c: null, d: ['x', { e: 'y' }], f: undefined })).toEqual([]);
  });

  it('stops at twenty problems rather than echoing a whole hostile body', () => {
    expect(inputProblems(Array(1000).fill('\u0000'))).toHaveLength(20);
  });
});

describe('basicCredentialProblems', () => {
  const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

  it.each(['a\u0000b:secret', 'a%00b:secret', 'client:se%00cret'])('refuses %p', (credentials) => {
    expect(inputProblemsOf(basic(credentials))).toEqual(['authorization']);
  });

  it.each([basic('client:secret'), basic('client:50%'), 'Bearer a.b.c', undefined])('passes %p', (authorization) => {
    expect(inputProblemsOf(authorization)).toEqual([]);
  });

  function inputProblemsOf(authorization: string | undefined): string[] {
    return basicCredentialProblems(authorization).map((p) => p.field);
  }
});
