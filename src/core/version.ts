/** The software's name and version, read once from package.json (found by walking up from this file, so it works from src/ and dist/). */
import * as fs from 'fs';
import * as path from 'path';

function findPackageJson(): { name: string; version: string } {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'package.json');
    if (fs.existsSync(candidate)) {
      const parsed = JSON.parse(fs.readFileSync(candidate, 'utf8')) as { name: string; version: string };
      if (parsed.name === 'swarmscope') return parsed;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return { name: 'swarmscope', version: '0.0.0' };
    dir = parent;
  }
}

export const SOFTWARE: { name: string; version: string } = findPackageJson();
