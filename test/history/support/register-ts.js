// Lets a spawned `node` run the TypeScript sources directly (tests spawn the CLI from src/, so they never
// depend on a stale dist/). Transpile-only, like ts-jest's isolatedModules; the output is cached in the OS
// temp dir by content hash, because each spawned CLI would otherwise re-transpile every module it loads.
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');

const cacheDir = path.join(os.tmpdir(), 'swarmscope-test-ts-cache');
fs.mkdirSync(cacheDir, { recursive: true });
let ts = null;

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const key = crypto.createHash('sha256').update(filename).update('\0').update(source).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  let output;
  try {
    output = fs.readFileSync(cached, 'utf8');
  } catch {
    ts ??= require('typescript');
    output = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false },
      fileName: filename,
    }).outputText;
    const temporary = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, output);
    fs.renameSync(temporary, cached);
  }
  module._compile(output, filename);
};
