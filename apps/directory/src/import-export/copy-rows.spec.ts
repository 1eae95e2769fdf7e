import { copyText } from './copy-rows';

describe('copyText (COPY text format)', () => {
  it('writes absent fields as NULL and a literal \\N as text', () => {
    expect(copyText(undefined)).toBe('\\N');
    expect(copyText(null)).toBe('\\N');
    expect(copyText('\\N')).toBe('\\\\N');
  });

  it('escapes backslashes, tabs and line breaks, and leaves everything else as it is', () => {
    expect(copyText('a\tb\nc\r\nd\\e')).toBe('a\\tb\\nc\\r\\nd\\\\e');
    expect(copyText('Café, "quoted"; ok')).toBe('Café, "quoted"; ok');
    expect(copyText('')).toBe('');
  });

  it('writes numbers as JavaScript does', () => {
    expect(copyText(12.5)).toBe('12.5');
    expect(copyText(-3)).toBe('-3');
  });
});
