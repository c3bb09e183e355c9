import * as fs from 'fs';
import { Construct } from 'constructs';
import { NetproofError } from '../errors';
import { ClusterModel } from '../model/cluster';
import { parseCluster } from '../parse/cluster';

export interface InventoryProps {
  /** A cluster model file (DESIGN.md format, YAML or JSON) or a `kubectl get namespaces,pods -A -o json` List. */
  readonly file: string;
}

/**
 * A cluster inventory file whose namespaces, pods and externals join the app's verification model.
 * The file is read when the construct is created (the only file netproof reads during synth).
 */
export class Inventory extends Construct {
  public readonly cluster: ClusterModel;

  constructor(scope: Construct, id: string, props: InventoryProps) {
    super(scope, id);
    let text: string;
    try {
      text = fs.readFileSync(props.file, 'utf8');
    } catch (e) {
      throw new NetproofError(`Inventory ${this.node.path}`, `cannot read inventory file "${props.file}": ${(e as Error).message}. Check the path (relative paths are from the directory synth runs in)`);
    }
    this.cluster = parseCluster(text, props.file).cluster;
  }
}
