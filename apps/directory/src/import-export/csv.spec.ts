import { CsvError, parseCsv } from './csv';

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, naming the line each record ends on', () => {
    const text = '\ufeffid,name,description\r\n1,"Food, Inc.","Say ""hi""\r\nthen leave"\r\n\r\n2,,plain\n3,x,';
    expect(parseCsv(text)).toEqual([
      { cells: ['id', 'name', 'description'], line: 1 },
      { cells: ['1', 'Food, Inc.', 'Say "hi"\r\nthen leave'], line: 3 },
      { cells: ['2', '', 'plain'], line: 5 },
      { cells: ['3', 'x', ''], line: 6 },
    ]);
  });

  it('counts a CR LF inside a quoted field as one line, as an editor shows it', () => {
    expect(parseCsv('a\n"x\r\ny"\nz\n').map((r) => r.line)).toEqual([1, 3, 4]);
  });

  it.each([
    ['an unclosed quote', 'a,b\n1,"x\n', /not closed/],
    ['a quote inside an unquoted field', 'a,b\n1,x"y\n', /quote inside an unquoted field at line 2/],
    ['text after a closing quote', 'a,b\n"1"x,2\n', /after a closing quote at line 2/],
    ['a record longer than the header', 'a,b\n1,2,3\n', /line 2 has 3 fields, the header 2/],
  ])('refuses %s', (_name, text, message) => {
    expect(() => parseCsv(text)).toThrow(CsvError);
    expect(() => parseCsv(text)).toThrow(message);
  });
});
