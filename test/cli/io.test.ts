import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { removeTempDirs, tempDir } from './_app-fixture';
import { captureIo, run } from './_run';
import {
  decodeText, describeFsError, FdOutput, IoMessages, MAX_INPUT_FILE_BYTES, nodeFileSystem, readRegularFile, reportError, shortenMessage, WriteSync,
} from '../../src/cli/io';
import { NetproofError } from '../../src/errors';
import { FileMessages } from '../../src/parse/files';

const errno = (code: string) => Object.assign(new Error(`${code}: something`), { code });

/** A fake writeSync: takes at most `take` bytes per call, and fails as `script` says on the calls it names. */
function fakeWriter(take: number, script: Record<number, string> = {}): { writeSync: WriteSync; bytes: () => string; calls: () => number } {
  const got: Buffer[] = [];
  let calls = 0;
  return {
    writeSync: (_fd, buffer, offset, length) => {
      const code = script[calls++];
      if (code !== undefined) throw errno(code);
      const n = Math.min(take, length);
      got.push(Buffer.from(buffer.subarray(offset, offset + n)));
      return n;
    },
    bytes: () => Buffer.concat(got).toString('utf8'),
    calls: () => calls,
  };
}

describe('FdOutput (stdout and stderr of the process)', () => {
  test('writes everything through partial writes and a full pipe (EAGAIN), in order', () => {
    const w = fakeWriter(7, { 1: 'EAGAIN', 2: 'EAGAIN' });
    const out = new FdOutput(1, 'stdout', { buffered: true, writeSync: w.writeSync });
    for (let i = 0; i < 100; i++) out.write(`line ${i} ✓\n`);
    expect(w.calls()).toBe(0); // buffered
    out.flush();
    expect(w.bytes()).toBe(Array.from({ length: 100 }, (_, i) => `line ${i} ✓\n`).join(''));
  });

  test('holds at most 64 KiB before writing (backpressure: a slow reader holds the writer back)', () => {
    const w = fakeWriter(1 << 30);
    const out = new FdOutput(1, 'stdout', { buffered: true, writeSync: w.writeSync });
    const row = `${'x'.repeat(1023)}\n`;
    for (let i = 0; i < 64; i++) out.write(row);
    expect(w.calls()).toBe(1);
    expect(w.bytes().length).toBe(64 * 1024);
  });

  test('a reader that went away (EPIPE) ends the output silently', () => {
    const w = fakeWriter(1 << 30, { 0: 'EPIPE' });
    const out = new FdOutput(1, 'stdout', { buffered: false, writeSync: w.writeSync });
    expect(out.write('a')).toBe(false);
    expect(out.write('b')).toBe(false);
    expect(w.calls()).toBe(1);
  });

  test('a full device (ENOSPC) is an error with the reason, not a crash', () => {
    const w = fakeWriter(1 << 30, { 0: 'ENOSPC' });
    const out = new FdOutput(1, 'stdout', { buffered: false, writeSync: w.writeSync });
    expect(() => out.write('a')).toThrow(new NetproofError('stdout', IoMessages.stdoutFailed('no space left on the device (ENOSPC)')));
  });

  test('a command writing to a full stdout exits 2 with the message (fault injection: a full fake writer)', async () => {
    const io = captureIo();
    const w = fakeWriter(1 << 30, { 0: 'ENOSPC' });
    const stdout = new FdOutput(1, 'stdout', { buffered: true, writeSync: w.writeSync });
    const { main } = await import('../../src/cli/main');
    const code = await main(['reach', '--cluster', 'test/fixtures/reach/cluster.yaml', '--policies', 'test/fixtures/reach/policies', '--port', '80'], { ...io, stdout });
    expect(code).toBe(2);
    expect(io.err.join('')).toBe(`netproof: error: stdout: ${IoMessages.stdoutFailed('no space left on the device (ENOSPC)')}\n`);
  });

  const devFull = fs.existsSync('/dev/full') ? test : test.skip;
  devFull('/dev/full as stdout: exit 2 with "no space left"', async () => {
    const fd = fs.openSync('/dev/full', 'w');
    try {
      const io = captureIo();
      const { main } = await import('../../src/cli/main');
      const code = await main(['--help'], { ...io, stdout: new FdOutput(fd, 'stdout', { buffered: true }) });
      expect(code).toBe(2);
      expect(io.err.join('')).toContain('stdout: cannot write: no space left on the device (ENOSPC)');
    } finally {
      fs.closeSync(fd);
    }
  });
});

describe('reading input files', () => {
  afterAll(removeTempDirs);

  test('refuses a FIFO at once instead of blocking on it', () => {
    const dir = tempDir();
    const fifo = path.join(dir, 'intents.yaml');
    execFileSync('mkfifo', [fifo]);
    expect(() => readRegularFile(fifo, 'intents.yaml')).toThrow(new NetproofError('intents.yaml', FileMessages.notRegular('a FIFO (named pipe)')));
  });

  test('refuses /dev/zero (a device that never ends)', () => {
    expect(() => readRegularFile('/dev/zero')).toThrow(new NetproofError('/dev/zero', FileMessages.notRegular('a character device')));
  });

  test('names a missing file and the reason', () => {
    expect(() => readRegularFile('/nonexistent/x.yaml')).toThrow(new NetproofError('/nonexistent/x.yaml', IoMessages.cannotRead('no such file or folder (ENOENT)')));
  });

  test('drops a UTF-8 byte order mark; refuses UTF-16 and bytes that are not UTF-8, naming the offset', () => {
    expect(decodeText(Buffer.from('\ufeffkind: List\n', 'utf8'), 'f')).toBe('kind: List\n');
    expect(() => decodeText(Buffer.from('\ufeffkind', 'utf16le'), 'f.yaml')).toThrow(new NetproofError('f.yaml', IoMessages.utf16));
    expect(() => decodeText(Buffer.from([0x6b, 0x3a, 0x20, 0xff, 0x0a]), 'f.yaml')).toThrow(new NetproofError('f.yaml', IoMessages.notUtf8(3)));
    expect(() => decodeText(Buffer.from([0x61, 0xed, 0xa0, 0x80]), 'f.yaml')).toThrow(IoMessages.notUtf8(1)); // a UTF-16 surrogate in UTF-8
  });

  test('states the size limit', () => {
    expect(IoMessages.tooLarge(300 * 1024 * 1024)).toBe(
      'is 300 MiB, more than netproof reads from one file (256 MiB). Split it into several files in a folder, or narrow the listing (e.g. kubectl get pods -n NAMESPACE)');
    expect(MAX_INPUT_FILE_BYTES).toBe(256 * 1024 * 1024);
  });

  test('verify --intents on a FIFO and on /dev/zero: exit 2 naming it', async () => {
    const dir = tempDir();
    execFileSync('mkfifo', [path.join(dir, 'fifo')]);
    for (const [file, what] of [[path.join(dir, 'fifo'), 'a FIFO (named pipe)'], ['/dev/zero', 'a character device']]) {
      const r = await run(['verify', '--cluster', 'test/fixtures/reach/cluster.yaml', '--policies', 'test/fixtures/reach/policies', '--intents', file]);
      expect(r).toEqual({ code: 2, stdout: '', stderr: `netproof: error: ${file}: ${FileMessages.notRegular(what)}\n` });
    }
  });

  test('--cluster and --policies on a FIFO or /dev/zero: exit 2 naming it', async () => {
    const dir = tempDir();
    const fifo = path.join(dir, 'cluster.yaml');
    execFileSync('mkfifo', [fifo]);
    const r = await run(['reach', '--cluster', fifo, '--policies', 'test/fixtures/reach/policies', '--port', '80']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `netproof: error: --cluster ${fifo}: ${FileMessages.notRegular('a FIFO (named pipe)')}\n` });
    const z = await run(['reach', '--cluster', 'test/fixtures/reach/cluster.yaml', '--policies', '/dev/zero', '--port', '80']);
    expect(z).toEqual({ code: 2, stdout: '', stderr: `netproof: error: --policies /dev/zero: ${FileMessages.notRegular('a character device')}\n` });
  });

  test('nodeFileSystem tells broken links and special files from missing ones', () => {
    const dir = tempDir();
    fs.symlinkSync(path.join(dir, 'gone'), path.join(dir, 'dangling.yaml'));
    fs.symlinkSync(path.join(dir, 'self'), path.join(dir, 'self'));
    execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
    const nfs = nodeFileSystem(dir);
    expect(['dangling.yaml', 'self', 'pipe.yaml', 'none'].map((p) => nfs.kind(p))).toEqual(['broken', 'broken', 'special', 'missing']);
    expect(['dangling.yaml', 'self', 'pipe.yaml'].map((p) => nfs.describe!(p)))
      .toEqual(['a symbolic link whose target does not exist', 'a symbolic link that leads to itself', 'a FIFO (named pipe)']);
  });
});

describe('error reports', () => {
  test('an environment failure that escapes is a message and exit 2, without a stack', () => {
    const io = captureIo();
    const e = Object.assign(new Error("EROFS: read-only file system, open '/x/y'"), { code: 'EROFS', path: '/x/y' });
    expect(reportError(e, io)).toBe(2);
    expect(io.err.join('')).toBe('netproof: error: read-only file system (EROFS): /x/y. Check the folder, its permissions and the free space\n');
  });

  test('a 10 MB value is never echoed whole', () => {
    const huge = 'x'.repeat(10 * 1024 * 1024);
    const io = captureIo();
    reportError(new NetproofError('f.yaml', `bad value "${huge}". Fix it`), io);
    const text = io.err.join('');
    expect(text.length).toBeLessThan(400);
    expect(text).toBe(`netproof: error: f.yaml: bad value "${'x'.repeat(99)}… (10485763 characters) Fix it\n`);
    expect(shortenMessage('short words stay')).toBe('short words stay');
  });

  test('describeFsError words the common codes', () => {
    expect(describeFsError(errno('ENOSPC'))).toBe('no space left on the device (ENOSPC)');
    expect(describeFsError(errno('EACCES'))).toBe('permission denied (EACCES)');
    expect(describeFsError(new Error('plain'))).toBe('plain');
  });
});
