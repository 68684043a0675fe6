// readTextFileBounded reads most manifests into one reused buffer (no allocation per file): its
// text must still be exactly the file's, for every size around the buffer's limits, for multi-byte
// UTF-8, for files read one after another (a reused buffer must never leak into the next text),
// and for pipes (whose size stat cannot tell); over the limit it refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileTooLargeError, readTextFileBounded } from '../../src/git/boundedFile';
import { removeTempDirs, tempDir } from '../integration/helpers/tempGitRepo';

test.after(() => removeTempDirs());

const MB = 1024 * 1024;

/** Deterministic text of about `bytes` UTF-8 bytes, multi-byte characters included, different per seed. */
function textOf(bytes: number, seed: number): string {
  const alphabet = ['a', 'ü', '€', '𝄞', '\n', ' ', 'key: value', String(seed)];
  const pieces: string[] = [];
  let length = 0;
  let i = seed;
  while (length < bytes) {
    i = (i * 1103515245 + 12345) & 0x7fffffff;
    let piece = alphabet[i % alphabet.length];
    // The last piece is ASCII when a multi-byte one would overshoot: exactly `bytes`, valid UTF-8.
    if (length + Buffer.byteLength(piece) > bytes) piece = 'z'.repeat(bytes - length);
    pieces.push(piece);
    length += Buffer.byteLength(piece);
  }
  return pieces.join('');
}

test('every size around the reused buffer and the probe gives exactly the file, files read one after another never mix', () => {
  const dir = tempDir('gitops-bounded-');
  const sizes = [0, 1, 2, 4095, 4096, 4097, 65535, 65536, 65537, 1 * MB - 1, 1 * MB, 1 * MB + 1, 4 * MB - 1, 4 * MB, 4 * MB + 1, 5 * MB];
  const files = sizes.map((size, i) => {
    const file = join(dir, `f${i}.yaml`);
    writeFileSync(file, textOf(size, i));
    return file;
  });
  // Big, small, big again: a small file read after a big one must not see the big one's bytes.
  for (const order of [files, [...files].reverse()]) {
    for (const file of order) assert.equal(readTextFileBounded(file, 64 * MB), readFileSync(file, 'utf8'), file);
  }
});

test('over the limit: refused with the size, before reading', () => {
  const dir = tempDir('gitops-bounded-limit-');
  const file = join(dir, 'big.yaml');
  writeFileSync(file, 'x'.repeat(10_001));
  assert.throws(() => readTextFileBounded(file, 10_000), (e: unknown) => e instanceof FileTooLargeError && e.bytes === 10_001 && !e.grew);
  assert.equal(readTextFileBounded(file, 10_001).length, 10_001);
});

test('a pipe (stat says 0 bytes) is read to its end, and refused when it carries more than the limit', async () => {
  const dir = tempDir('gitops-bounded-fifo-');
  const read = async (payload: string, limit: number): Promise<string> => {
    const fifo = join(dir, `fifo-${Math.random().toString(36).slice(2)}`);
    execFileSync('mkfifo', [fifo]);
    const source = `${fifo}.txt`;
    writeFileSync(source, payload);
    const writer = spawn(process.execPath, ['-e', `const fs = require('fs'); try { fs.writeFileSync(${JSON.stringify(fifo)}, fs.readFileSync(${JSON.stringify(source)})); } catch {}`]);
    const done = new Promise((resolve) => writer.once('exit', resolve));
    try {
      return readTextFileBounded(fifo, limit);
    } finally {
      writer.kill();
      await done;
    }
  };
  const payload = textOf(200_000, 7);
  assert.equal(await read(payload, 64 * MB), payload);
  await assert.rejects(read(payload, 100_000), (e: unknown) => e instanceof FileTooLargeError && e.grew);
});

test('a pipe written in pieces, a pause between them, is read whole (a short read is not its end)', async () => {
  const dir = tempDir('gitops-bounded-pieces-');
  for (const [size, limit] of [
    [1_000, 64 * MB],
    [150_000, 64 * MB],
    [150_000, 120_000],
  ]) {
    const fifo = join(dir, `fifo-${size}-${limit}`);
    execFileSync('mkfifo', [fifo]);
    const source = `${fifo}.txt`;
    const payload = textOf(size, size);
    writeFileSync(source, payload);
    // Half, 150 ms of nothing, the rest: the reader's first reads end short of the whole.
    const script = `const fs = require('fs'); const all = fs.readFileSync(${JSON.stringify(source)}); const fd = fs.openSync(${JSON.stringify(fifo)}, 'w'); try { fs.writeSync(fd, all.subarray(0, all.length >> 1)); const until = Date.now() + 150; while (Date.now() < until); fs.writeSync(fd, all.subarray(all.length >> 1)); } catch {} finally { fs.closeSync(fd); }`;
    const writer = spawn(process.execPath, ['-e', script]);
    const done = new Promise((resolve) => writer.once('exit', resolve));
    try {
      if (size <= limit) assert.equal(readTextFileBounded(fifo, limit), payload);
      else assert.throws(() => readTextFileBounded(fifo, limit), (e: unknown) => e instanceof FileTooLargeError && e.grew);
    } finally {
      writer.kill();
      await done;
    }
  }
});
