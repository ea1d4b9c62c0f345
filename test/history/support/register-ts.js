// Lets a spawned `node` run the TypeScript sources directly (tests spawn the CLI from src/, so they never
// depend on a stale dist/). Transpile-only, like ts-jest's isolatedModules.
const fs = require('fs');
const ts = require('typescript');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false },
    fileName: filename,
  });
  module._compile(outputText, filename);
};
