// Reading a manifest from disk with a bound on memory: the size is checked before anything is
// read, and at most `maxBytes + 1` bytes are ever read, so a file that grows while it is read (a
// log, a pipe, a generator still writing) is refused instead of filling memory.
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
    const stat = fstatSync(fd);
    const size = stat.size;
    if (size > maxBytes) throw new FileTooLargeError(path, size, maxBytes, false);
    // The first read asks for one byte more than stat said, so the usual file is read in one call;
    // a regular file that gives less is at its end (a pipe reports 0, a growing file more).
    const first = Math.min(size + 1, maxBytes + 1);
    if (first <= SCRATCH_LIMIT) {
      const buffer = scratchOf(first);
      const read = readSync(fd, buffer, 0, first, null);
      if (read < first && stat.isFile()) return buffer.toString('utf8', 0, read);
      return readRest(fd, path, maxBytes, [Buffer.from(buffer.subarray(0, read))], read, read < first ? 4096 : CHUNK);
    }
    return readRest(fd, path, maxBytes, [], 0, first);
  } finally {
    closeSync(fd);
  }
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
