import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * Controllers map HTTP to a service call and nothing else depends on them: DTOs and types live in
 * dto/ files, so a service never reaches into a controller (nor drags its routes into a CLI).
 */
describe('controller files', () => {
  it('are imported only by modules (and their own specs)', () => {
    const offenders = [join(ROOT, 'apps'), join(ROOT, 'libs')]
      .flatMap(sourceFiles)
      .filter((file) => !file.endsWith('.module.ts') && !file.endsWith('.spec.ts') && !file.endsWith('index.ts'))
      .filter((file) => /from\s+['"][^'"]*\.controller['"]/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file));
    expect(offenders).toEqual([]);
  });

  it('declare no classes, interfaces or types besides the controller', () => {
    const extras = [join(ROOT, 'apps'), join(ROOT, 'libs')]
      .flatMap(sourceFiles)
      .filter((file) => file.endsWith('.controller.ts'))
      .flatMap((file) => {
        const declared = [...readFileSync(file, 'utf8').matchAll(/^export\s+(?:class|interface|type)\s+(\w+)/gm)].map((m) => m[1]!);
        return declared.filter((name) => !name.endsWith('Controller')).map((name) => `${relative(ROOT, file)}: ${name}`);
      });
    expect(extras).toEqual([]);
  });
});
