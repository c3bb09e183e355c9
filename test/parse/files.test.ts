import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { nodeFileSystem } from '../../src/cli/io';
import { collectFiles, FileMessages } from '../../src/parse/files';
import { errorOf } from '../_errors';
import { removeTempDirs, tempDir } from '../cli/_app-fixture';
import { run } from '../cli/_run';

const POLICY = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec: {podSelector: {}}\n';
const CLUSTER = 'namespaces: {shop: {}}\npods: [{namespace: shop, name: web, labels: {app: web}, ip: 10.0.0.1}]\n';

describe('collectFiles on a real folder', () => {
  afterAll(removeTempDirs);

  test('walks each folder once through symbolic-link loops (and reads a linked file once)', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'pol', 'a', 'b'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'pol', 'a', 'b', 'p.yaml'), POLICY);
    // Two loops: 2^40 paths if links were followed blindly.
    fs.symlinkSync('..', path.join(dir, 'pol', 'a', 'b', 'up'));
    fs.symlinkSync('../..', path.join(dir, 'pol', 'a', 'b', 'top'));
    fs.symlinkSync('b/p.yaml', path.join(dir, 'pol', 'a', 'same.yaml'));
    const files = collectFiles('pol', nodeFileSystem(dir), '--policies');
    expect(files.map((f) => f.path)).toEqual(['pol/a/b/p.yaml']);
  });

  test('fails naming a dangling link and a FIFO named like a manifest (never drops them silently)', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'pol'));
    fs.writeFileSync(path.join(dir, 'pol', 'ok.yaml'), POLICY);
    fs.symlinkSync(path.join(dir, 'moved-away'), path.join(dir, 'pol', 'team-a'));
    execFileSync('mkfifo', [path.join(dir, 'pol', 'pipe.yaml')]);
    execFileSync('mkfifo', [path.join(dir, 'pol', 'pipe.txt')]); // not a manifest by name: left alone
    const e = errorOf(() => collectFiles('pol', nodeFileSystem(dir), '--policies'));
    expect(e.message).toBe(`--policies pol: ${FileMessages.unreadableEntries([
      { path: 'pol/pipe.yaml', what: 'a FIFO (named pipe)' },
      { path: 'pol/team-a', what: 'a symbolic link whose target does not exist' },
    ])}`);
    expect(e.message).toContain('the folder holds 2 entries that cannot be read, so what they hold would be left out: pol/pipe.yaml (a FIFO (named pipe)), pol/team-a (a symbolic link whose target does not exist)');
  });

  test('the commands exit 2 on such a folder, naming each entry', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'pol'));
    fs.writeFileSync(path.join(dir, 'pol', 'ok.yaml'), POLICY);
    fs.writeFileSync(path.join(dir, 'cluster.yaml'), CLUSTER);
    fs.symlinkSync(path.join(dir, 'gone.yaml'), path.join(dir, 'pol', 'moved.yaml'));
    const r = await run(['reach', '--cluster', path.join(dir, 'cluster.yaml'), '--policies', path.join(dir, 'pol'), '--port', '80']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`netproof: error: --policies ${dir}/pol: ${FileMessages.unreadableEntries([{ path: `${dir}/pol/moved.yaml`, what: 'a symbolic link whose target does not exist' }])}\n`);
  });

  test('a deep folder tree is walked without recursion', () => {
    const dir = tempDir();
    let p = path.join(dir, 'pol');
    for (let i = 0; i < 200; i++) p = path.join(p, 'd');
    fs.mkdirSync(p, { recursive: true });
    fs.writeFileSync(path.join(p, 'p.yaml'), POLICY);
    expect(collectFiles('pol', nodeFileSystem(dir)).length).toBe(1);
  });
});
