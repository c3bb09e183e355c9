import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { AllowFrom, DefaultDeny, PolicyChart } from '../../src';
import { synthesizeAtomically } from '../../src/emit/synth';
import { Peer } from '../../src/values/peer';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'netproof-synth-test-'));
}

describe('synthesizeAtomically', () => {
  test('writes one file per chart and replaces stale YAML only', () => {
    const root = tempDir();
    const target = path.join(root, 'dist');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'stale.k8s.yaml'), 'old');
    fs.writeFileSync(path.join(target, 'README.txt'), 'keep');
    const app = new App();
    new DefaultDeny(new PolicyChart(app, 'shop', { namespace: 'shop' }), 'deny');
    new DefaultDeny(new PolicyChart(app, 'cnf', { namespace: 'cnf' }), 'deny');
    const result = synthesizeAtomically(app, target);
    expect(result.files).toEqual(['cnf.k8s.yaml', 'shop.k8s.yaml']);
    expect(fs.readdirSync(target).sort()).toEqual(['README.txt', 'cnf.k8s.yaml', 'shop.k8s.yaml']);
    expect(fs.readFileSync(path.join(target, 'shop.k8s.yaml'), 'utf8')).toContain('name: deny');
    expect(fs.readdirSync(root)).toEqual(['dist']); // temp dir removed
  });

  test('a failed synth leaves the target untouched', () => {
    const root = tempDir();
    const target = path.join(root, 'dist');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'shop.k8s.yaml'), 'previous');
    const app = new App();
    const chart = new PolicyChart(app, 'shop', { namespace: 'shop' });
    new AllowFrom(chart, 'a', { from: [Peer.anyone()] });
    chart.node.addValidation({ validate: () => ['boom'] });
    expect(() => synthesizeAtomically(app, target)).toThrow(/boom/);
    expect(fs.readdirSync(target)).toEqual(['shop.k8s.yaml']);
    expect(fs.readFileSync(path.join(target, 'shop.k8s.yaml'), 'utf8')).toBe('previous');
    expect(fs.readdirSync(root)).toEqual(['dist']);
  });

  test('creates the target when it does not exist', () => {
    const root = tempDir();
    const app = new App();
    new DefaultDeny(new PolicyChart(app, 'shop', { namespace: 'shop' }), 'deny');
    synthesizeAtomically(app, path.join(root, 'out'));
    expect(fs.readdirSync(path.join(root, 'out'))).toEqual(['shop.k8s.yaml']);
  });
});
