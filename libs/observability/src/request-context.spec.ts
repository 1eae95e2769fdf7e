import { acceptedRequestId, RequestContext } from './request-context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('RequestContext', () => {
  it('keeps a caller’s id that is short and made of safe characters', () => {
    expect(RequestContext.run('req-123:a.b_C', () => RequestContext.requestId())).toBe('req-123:a.b_C');
    expect(acceptedRequestId('x'.repeat(128))).toBe('x'.repeat(128));
  });

  it.each([
    ['too long', 'x'.repeat(129)],
    ['a forged log line', 'ok\n{"level":"fatal","msg":"forged"}'],
    ['markup', '<script>alert(1)</script>'],
    ['spaces and quotes', 'a "quoted" id'],
    ['empty', ''],
  ])('replaces an id that is %s with a fresh UUID wherever it enters (HTTP, NATS headers, event envelopes)', (_, given) => {
    const id = RequestContext.run(given, () => RequestContext.requestId());
    expect(id).toMatch(UUID);
    expect(acceptedRequestId(given)).toBeUndefined();
  });

  it('refuses what is not a string (a header given twice arrives as an array)', () => {
    expect(acceptedRequestId(['a', 'b'])).toBeUndefined();
    expect(RequestContext.run(undefined, () => RequestContext.requestId())).toMatch(UUID);
  });
});
