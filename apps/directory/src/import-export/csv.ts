/**
 * One CSV record: its cells and the line of the file it ends on (what an import problem names, as csv-parse's
 * `info.lines` did before: a description with line breaks ends lines after it starts).
 */
export interface CsvRecord {
  cells: string[];
  line: number;
}

export class CsvError extends Error {}

/** The next character that ends or quotes an unquoted field. */
const SPECIAL = /[,\r\n"]/g;

function newlines(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

/**
 * RFC 4180 CSV (comma, double-quote quoting and escaping, CRLF or LF), as the HSDS tabular format uses it.
 * A leading BOM and empty lines are skipped; every record must have the header's number of fields. Written
 * for imports of hundreds of thousands of rows: csv-parse with per-record info took most of an import's
 * parse time.
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  forEachCsvRecord(text, (cells, line) => {
    records.push({ cells, line });
  });
  return records;
}

/**
 * Hands each record to `onRecord` as it is read, as parseCsv reads them: a large file's cells then die young
 * instead of all living until the whole file is read.
 */
export function forEachCsvRecord(text: string, onRecord: (cells: string[], line: number) => void): void {
  const end = text.length;
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let width = -1;
  while (at < end) {
    const startLine = line;
    const c0 = text.charCodeAt(at);
    if (c0 === 10 || c0 === 13) {
      // An empty line.
      at += c0 === 13 && text.charCodeAt(at + 1) === 10 ? 2 : 1;
      line++;
      continue;
    }
    const cells: string[] = [];
    let endLine = line;
    for (;;) {
      if (text.charCodeAt(at) === 34) {
        let value = '';
        let from = at + 1;
        for (;;) {
          const quote = text.indexOf('"', from);
          if (quote < 0) throw new CsvError(`quoted field not closed (the record starting at line ${startLine})`);
          value += text.slice(from, quote);
          if (text.charCodeAt(quote + 1) === 34) {
            value += '"';
            from = quote + 2;
            continue;
          }
          at = quote + 1;
          break;
        }
        line += newlines(value);
        cells.push(value);
        const next = text.charCodeAt(at);
        if (at < end && next !== 44 && next !== 10 && next !== 13) {
          throw new CsvError(`unexpected character after a closing quote at line ${line}`);
        }
      } else {
        SPECIAL.lastIndex = at;
        const found = SPECIAL.exec(text);
        const stop = found ? found.index : end;
        if (found && found[0] === '"') throw new CsvError(`quote inside an unquoted field at line ${line}`);
        cells.push(text.slice(at, stop));
        at = stop;
      }
      endLine = line;
      if (at >= end) break;
      const c = text.charCodeAt(at);
      if (c === 44) {
        at++;
        continue;
      }
      at += c === 13 && text.charCodeAt(at + 1) === 10 ? 2 : 1;
      line++;
      break;
    }
    if (width < 0) width = cells.length;
    else if (cells.length !== width) throw new CsvError(`the record starting at line ${startLine} has ${cells.length} fields, the header ${width}`);
    onRecord(cells, endLine);
  }
}
