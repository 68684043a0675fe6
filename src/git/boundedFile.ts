// Reading a manifest from disk with a bound on memory: the size is checked before more than the
// reused buffer's worth (64 KB at least) is read, and at most `maxBytes + 1` bytes are ever read,
// so a file that grows while it is read (a log, a pipe, a generator still writing) is refused
// instead of filling memory.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** The file is over the limit; `bytes` is its size as far as it was seen (at least `limit + 1`). */
export class FileTooLargeError extends Error {
  constructor(
    readonly file: string,
    readonly bytes: number,
    readonly limit: number,
    readonly grew: boolean,
  ) {
    super(
      grew
        ? `${file} grew past ${limit / 1048576} MB while it was read; manifests over ${limit / 1048576} MB are not read`
        : `${file} is ${(bytes / 1048576).toFixed(1)} MB; manifests over ${limit / 1048576} MB are not read`,
    );
    this.name = 'FileTooLargeError';
  }
}

const CHUNK = 1024 * 1024;
/** Files up to this size are read into one reused buffer: no allocation per file (10,000 manifests made much of a CLI run's GC). */
const SCRATCH_LIMIT = 4 * 1024 * 1024;
let scratch = Buffer.allocUnsafeSlow(64 * 1024);

function scratchOf(bytes: number): Buffer {
  if (scratch.length < bytes) scratch = Buffer.allocUnsafeSlow(Math.min(SCRATCH_LIMIT, 2 ** Math.ceil(Math.log2(bytes))));
  return scratch;
}

/**
 * The file's text (UTF-8), or FileTooLargeError when it holds more than `maxBytes`. Other errors
 * (ENOENT, EACCES, EISDIR) are thrown as Node gives them.
 */
export function readTextFileBounded(path: string, maxBytes: number): string {
  const fd = openSync(path, 'r');
  try {
    // Most manifests fit the reused buffer: read, and read once more to see the end (0 bytes).
    // No fstat for them: building its Stats object cost more than the extra read (about a
    // third of the reading time of 10,000 small files).
    const want = Math.min(scratch.length, maxBytes + 1);
    const head = readSync(fd, scratch, 0, want, null);
    if (head < want) {
      const more = readSync(fd, scratch, head, want - head, null);
      if (more === 0) return scratch.toString('utf8', 0, head);
      // Still coming: a pipe, or a file being written.
      return readRest(fd, path, maxBytes, [Buffer.from(scratch.subarray(0, head + more))], head + more, 4096);
    }
    return readLarge(fd, path, maxBytes, head);
  } finally {
    closeSync(fd);
  }
}

/** The rest of a file that filled the buffer (`head` bytes of it are in `scratch`): its size is checked before the rest is read. */
function readLarge(fd: number, path: string, maxBytes: number, head: number): string {
  const stat = fstatSync(fd);
  if (stat.size > maxBytes) throw new FileTooLargeError(path, stat.size, maxBytes, false);
  // Ask for one byte more than stat said, so the usual file is read in one more call; a regular
  // file that gives less is at its end (a pipe reports 0, a growing file more).
  const first = Math.min(stat.size + 1, maxBytes + 1);
  const start = scratch;
  if (first <= head) return readRest(fd, path, maxBytes, [Buffer.from(start.subarray(0, head))], head, 4096);
  if (first <= SCRATCH_LIMIT) {
    const buffer = scratchOf(first);
    if (buffer !== start) start.copy(buffer, 0, 0, head);
    const read = head + readSync(fd, buffer, head, first - head, null);
    if (read < first && stat.isFile()) return buffer.toString('utf8', 0, read);
    return readRest(fd, path, maxBytes, [Buffer.from(buffer.subarray(0, read))], read, read < first ? 4096 : CHUNK);
  }
  return readRest(fd, path, maxBytes, [Buffer.from(start.subarray(0, head))], head, first - head);
}

/** Reads until the end of the file, whatever stat said, refusing more than `maxBytes`. */
function readRest(fd: number, path: string, maxBytes: number, chunks: Buffer[], total: number, firstWant: number): string {
  if (total > maxBytes) throw new FileTooLargeError(path, total, maxBytes, true);
  // A short read is almost always the end of the file: probe it with a small buffer, not a whole
  // chunk (a fresh 1 MB buffer per small manifest was most of a CLI run's GC).
  for (let want = firstWant; ; ) {
    const buffer = Buffer.allocUnsafe(Math.min(want, maxBytes + 1 - total));
    const read = readSync(fd, buffer, 0, buffer.length, null);
    if (read === 0) break;
    chunks.push(read === buffer.length ? buffer : buffer.subarray(0, read));
    total += read;
    if (total > maxBytes) throw new FileTooLargeError(path, total, maxBytes, true);
    want = read < buffer.length ? 4096 : CHUNK;
  }
  return Buffer.concat(chunks, total).toString('utf8');
}
