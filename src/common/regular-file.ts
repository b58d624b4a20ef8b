/**
 * @module common/regular-file — read a text file only when it is a regular file, and only up to a
 * size cap. A FIFO blocks a plain read until something writes to it (forever, for a loader), and a
 * device such as /dev/zero never ends; named directly or through a symlink, either must fail at
 * once. The file is opened non-blocking and checked on the open descriptor, so it cannot be
 * swapped between the check and the read.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/** Why a file was refused: `ENOTREG` (not a regular file) or `EFBIG` (over the cap). */
export class FileRefusedError extends Error {
  readonly code: 'ENOTREG' | 'EFBIG';

  constructor(code: 'ENOTREG' | 'EFBIG', message: string) {
    super(message);
    this.name = 'FileRefusedError';
    this.code = code;
  }
}

const CHUNK = 64 * 1024;

/** The file's text (UTF-8); rejects with `FileRefusedError` or the file system's own error (`ENOENT`…). */
export async function readRegularFile(file: string, maxBytes: number): Promise<string> {
  // O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer.
  const handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new FileRefusedError('ENOTREG', `${file} is not a regular file (${kindOf(st)})`);
    if (st.size > maxBytes) throw tooLarge(file, maxBytes);
    // The size on disk may be stale (a growing file, /proc): read in chunks and stop past the cap.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      chunks.push(bytesRead === buf.length ? buf : buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) throw tooLarge(file, maxBytes);
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    await handle.close();
  }
}

function tooLarge(file: string, maxBytes: number): FileRefusedError {
  return new FileRefusedError('EFBIG', `${file} is larger than ${maxBytes} bytes`);
}

function kindOf(st: {
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
  isDirectory(): boolean;
}): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  if (st.isDirectory()) return 'a directory';
  return 'not a file';
}
