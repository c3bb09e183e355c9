/**
 * `--format json`: exactly the DESIGN.md reachability matrix,
 * `{"port","protocol","dataplane","network","matrix": {from: {to: bool}}}`, one source per line.
 */
import { isModelled } from './_matrix';
import { ReachMatrix } from '../../verify/api';
import { Formatter } from '../formatter';

export const jsonFormatter: Formatter<ReachMatrix, 'json'> = {
  format: 'json',
  write(matrix: ReachMatrix, out: (chunk: string) => void): void {
    const { port, protocol, network } = matrix.flow;
    out('{\n');
    out(`  "port": ${port},\n  "protocol": ${JSON.stringify(protocol)},\n  "dataplane": ${JSON.stringify(matrix.dataplane)},\n  "network": ${JSON.stringify(network)},\n`);
    const n = matrix.endpoints.length;
    if (n === 0) {
      out('  "matrix": {}\n}\n');
      return;
    }
    out('  "matrix": {\n');
    for (let i = 0; i < n; i++) {
      const cells: string[] = [];
      for (let j = 0; j < n; j++) {
        if (!isModelled(matrix, i, j)) continue;
        cells.push(`${JSON.stringify(matrix.endpoints[j].id)}: ${matrix.allowed(i, j)}`);
      }
      out(`    ${JSON.stringify(matrix.endpoints[i].id)}: {${cells.join(', ')}}${i < n - 1 ? ',' : ''}\n`);
    }
    out('  }\n}\n');
  },
};
