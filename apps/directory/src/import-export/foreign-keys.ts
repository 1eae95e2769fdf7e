import { HSDS_TABLES } from '../hsds/hsds-tables';
import { HsdsPackage, SourceRow } from './hsds-package';

/**
 * Checks the datapackage's foreign keys: each reference resolves inside the package or to a row already in
 * the directory. Returns the directory's rows the package refers to, by table (what must still be there
 * when the import commits).
 */
export async function checkForeignKeys(
  pkg: HsdsPackage,
  existingIds: (table: string, ids: string[]) => Promise<Set<string>>,
): Promise<Map<string, Set<string>>> {
  // The package's own maps, not rows()/ids() copies: this runs over every reference of an import.
  const none = new Map<string, SourceRow>();
  const inPackage = (table: string) => pkg.tables.get(table) ?? none;
  const missing = new Map<string, Set<string>>();
  for (const table of HSDS_TABLES) {
    for (const fk of table.foreignKeys) {
      const targets = inPackage(fk.resource);
      for (const source of inPackage(table.name).values()) {
        const target = source.record[fk.field];
        if (typeof target === 'string' && !targets.has(target)) {
          if (!missing.has(fk.resource)) missing.set(fk.resource, new Set());
          missing.get(fk.resource)!.add(target);
        }
      }
    }
  }
  const found = new Map<string, Set<string>>();
  for (const [resource, ids] of missing) found.set(resource, await existingIds(resource, [...ids]));
  // Found ids are a subset of the ids asked for: when every reference resolved, there is nothing to report.
  if ([...missing].every(([resource, ids]) => found.get(resource)!.size === ids.size)) return found;
  for (const table of HSDS_TABLES) {
    for (const fk of table.foreignKeys) {
      const targets = inPackage(fk.resource);
      const existing = found.get(fk.resource);
      for (const source of inPackage(table.name).values()) {
        const target = source.record[fk.field];
        if (typeof target === 'string' && !targets.has(target) && !existing?.has(target)) {
          pkg.problem(source, fk.field, `refers to ${fk.resource} ${target}, which is neither in the import nor in the directory`);
        }
      }
    }
  }
  return found;
}
