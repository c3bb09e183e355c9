// The floor of an end-to-end benchmark row, run as its own plain node process (start-up included, as for
// the CLI): read the row's input files and parse them, JSON with JSON.parse and YAML with the fastest general
// YAML reader at hand (js-yaml when installed, else the YAML library netproof uses for what its own reader
// leaves). Prints the reader's name. Usage: node bench/_floor.cjs FILE...
const fs = require('fs');
let reader = 'js-yaml';
let readYaml;
try {
  const jsYaml = require('js-yaml');
  readYaml = (t) => jsYaml.loadAll(t);
} catch {
  const yaml = require('yaml');
  reader = 'yaml';
  readYaml = (t) => yaml.parseAllDocuments(t).map((d) => d.toJS());
}
for (const f of process.argv.slice(2)) {
  const text = fs.readFileSync(f, 'utf8');
  if (f.endsWith('.json')) JSON.parse(text); else readYaml(text);
}
process.stdout.write(`${reader}\n`);
