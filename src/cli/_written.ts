/**
 * What `netproof synth` and `netproof check` read back from the app before writing or comparing it:
 * every YAML file must parse as Kubernetes reads it, and every policy object in it must be one netproof
 * models and the API server would accept, so that nothing lands in the output folder unchecked.
 */
import { policiesFromFiles } from '../parse/policies';

/** Where the files the app wrote are named in messages (the temporary folder is gone by then). */
export const APP_OUTPUT = 'app output';

/**
 * Parses the app's YAML files (sorted by name); throws the parser's NetproofError, which names the
 * file, the document, the line and the field.
 */
export function checkWrittenYaml(files: ReadonlyMap<string, string>): void {
  const texts = [...files.keys()].sort().map((f) => ({ path: `${APP_OUTPUT} ${f}`, text: files.get(f)! }));
  policiesFromFiles(texts);
}
