import { hsdsTable } from '../hsds/hsds-tables';
import { TabularPackage } from './tabular-package';

const TERMS = 'id,name,description\n' + ['a', 'b', 'c'].map((k) => `0f0e0d0c-0b0a-4009-8807-0605040302a${k},Term ${k},"two\nlines"`).join('\n') + '\n';
const TAXONOMY = 'id,name,description\n0f0e0d0c-0b0a-4009-8807-0605040302f0,Local,Our own\n';

describe('TabularPackage', () => {
  it('reads nothing until asked, then one table at a time', async () => {
    const pkg = new TabularPackage(new Map([['taxonomy_terms.csv', TERMS], ['taxonomies.csv', TAXONOMY]]));
    expect(pkg.size).toBe(0);
    // Lines left to read, headers aside: the quoted line breaks count too, so it errs high.
    expect(pkg.expectedSize).toBe(7);
    await pkg.read(hsdsTable('taxonomy_term'));
    expect(pkg.ids('taxonomy_term').size).toBe(3);
    expect(pkg.ids('taxonomy').size).toBe(0);
    expect(pkg.problems).toEqual([]);
    expect(pkg.expectedSize).toBe(4);
    await pkg.read();
    expect(pkg.ids('taxonomy').size).toBe(1);
    expect(pkg.expectedSize).toBe(pkg.size);
  });

  it('a table asked for again while it is being read is done when the first reading is', async () => {
    const many = 'id,name,description\n' + Array.from({ length: 2500 }, (_, i) => `0f0e0d0c-0b0a-4009-8807-${String(i).padStart(12, '0')},Term ${i},Term`).join('\n');
    const pkg = new TabularPackage(new Map([['taxonomy_terms.csv', many]]));
    const first = pkg.read(hsdsTable('taxonomy_term'));
    await pkg.read(hsdsTable('taxonomy_term')); // the first reading yields after 2,000 rows
    expect(pkg.ids('taxonomy_term').size).toBe(2500);
    await first;
    expect(pkg.problems).toEqual([]);
  });

  it('reports a file that is no HSDS resource as soon as it is handed over, and a bad row as its table is read', async () => {
    const pkg = new TabularPackage(new Map([['notes.csv', 'x\n1\n'], ['taxonomies.csv', 'id,name,description\nnot-an-id,Local,Our own\n']]));
    expect(pkg.problems).toEqual([{ file: 'notes.csv', message: expect.stringContaining('not an HSDS 3.0 resource') }]);
    await pkg.read(hsdsTable('taxonomy'));
    expect(pkg.problems).toEqual([expect.objectContaining({ file: 'notes.csv' }), expect.objectContaining({ file: 'taxonomies.csv', row: 2, field: 'id' })]);
  });

  it('reads at once what readNow is asked for, in the order the files came', () => {
    const pkg = new TabularPackage(new Map([['taxonomies.csv', TAXONOMY], ['taxonomy_terms.csv', TERMS]])).readNow();
    expect(pkg.size).toBe(4);
    expect([...pkg.tables.keys()]).toEqual(['taxonomy', 'taxonomy_term']);
  });
});
