/**
 * The compiled cpu-js runtime an emitted module imports: the entry files and every module they
 * import, transitively, copied from a build of shears (JavaScript). Nothing else may be imported —
 * no packages, no static `node:` imports — so the copy runs anywhere without an install.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ShearsError } from '../../../src/error.js';

export interface RuntimeFile {
  path: string;
  contents: string;
}

/**
 * `entries` are paths relative to `dir`. With `sources` (the TypeScript root the build came from),
 * a build older than its sources is refused rather than copied.
 */
export function runtimeFiles(dir: string, entries: readonly string[], sources?: string): RuntimeFile[] {
  const out: RuntimeFile[] = [];
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const relative = path.relative(dir, file).split(path.sep).join('/');
    if (!fs.existsSync(file)) {
      throw new ShearsError('E_IO', `the compiled cpu-js runtime lacks ${relative} (in ${dir}); build shears first (npm run build)`, { path: file });
    }
    if (sources) checkFresh(file, path.join(sources, relative.replace(/\.js$/, '.ts')));
    const contents = fs.readFileSync(file, 'utf8').replace(/\n\/\/# sourceMappingURL=.*$/, '');
    out.push({ path: relative, contents });
    for (const m of contents.matchAll(/(?:\bfrom|\bimport)\s*(\(?)\s*['"]([^'"]+)['"]/g)) {
      const spec = m[2];
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec));
      // Only a dynamic import of a Node built-in may remain: it runs in Node and is never reached in browsers.
      else if (!(m[1] === '(' && spec.startsWith('node:'))) {
        throw new ShearsError('E_IO', `the cpu-js runtime imports package '${spec}' (${relative}), so it cannot be emitted standalone`);
      }
    }
  };
  for (const entry of entries) visit(path.join(dir, entry));
  return out;
}

function checkFresh(built: string, source: string): void {
  if (fs.existsSync(source) && fs.statSync(source).mtimeMs > fs.statSync(built).mtimeMs) {
    throw new ShearsError('E_IO', `the compiled cpu-js runtime is older than its source ${source}; rebuild shears (npm run build)`, { path: built });
  }
}
