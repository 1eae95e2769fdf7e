import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { HsdsPackage } from './hsds-package';
import { HsdsValidator } from './hsds-validator';
import { readJsonServices } from './nested-json';
import { openTabularPackage } from './tabular-package';

/**
 * A folder (tabular package: `datapackage.json` + CSV files), left to be read as it is imported, or a JSON /
 * NDJSON file of nested services, read at once.
 */
export async function readHsdsSource(location: string, validator = new HsdsValidator()): Promise<HsdsPackage> {
  if ((await stat(location)).isDirectory()) return openTabularPackage(location, validator);
  return readJsonServices(basename(location), await readFile(location, 'utf8'), validator);
}
