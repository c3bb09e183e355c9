/** The Online Boutique fixture (test/fixtures/graph/boutique) as a graph, for the layout and Chromium tests. */
import { readFileSync } from 'fs';
import { join } from 'path';
import { buildGraph, ConnectivityGraph } from '../../../src/analysis/graph';
import { parseCluster } from '../../../src/parse/cluster';
import { policiesFromFiles } from '../../../src/parse/policies';

const BOUTIQUE = join(__dirname, '..', '..', 'fixtures', 'graph', 'boutique');

/** Online Boutique in one namespace: 12 workloads (frontend ×2), internet and the metadata server, 26 arrows. */
export function boutiqueGraph(fold = false): ConnectivityGraph {
  const cluster = parseCluster(readFileSync(join(BOUTIQUE, 'cluster.yaml'), 'utf8'), 'cluster.yaml').cluster;
  const policies = policiesFromFiles([{ path: 'policies.yaml', text: readFileSync(join(BOUTIQUE, 'policies.yaml'), 'utf8') }]).policies;
  return buildGraph({ cluster, policies, foldOpen: fold });
}
