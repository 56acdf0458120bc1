import { close, createReadStream, fstat, open, read } from "node:fs";
import type { Readable } from "node:stream";
import { promisify } from "node:util";
import yauzl from "yauzl";

/**
 * yauzl's own file reader streams an entry in 64 KiB reads, each one a trip through the thread
 * pool; with four collections extracting side by side those trips were the largest cost left in
 * an extraction (DESIGN §11, the collection's concurrency ratio). This reader streams entries in
 * 256 KiB reads from one open descriptor and answers yauzl's small header reads directly. What yauzl
 * checks (byte counts, names, sizes) is unchanged: only where the bytes come from differs.
 */
const STREAM_READ_BYTES = 256 * 1024;

class FileRangeReader extends yauzl.RandomAccessReader {
  constructor(private readonly fd: number) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    // `end` is exclusive for yauzl, inclusive for createReadStream. The descriptor stays ours:
    // yauzl destroys each entry's stream, and a destroyed ReadStream closes its fd whatever
    // autoClose says, so its close is a no-op here.
    return createReadStream("", {
      fd: this.fd,
      fs: { read, close: (_fd: number, done: (error: Error | null) => void) => done(null) },
      start,
      end: end - 1,
      autoClose: false,
      highWaterMark: STREAM_READ_BYTES,
    });
  }

  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (err: Error | null, bytesRead?: number) => void,
  ): void {
    read(this.fd, buffer, offset, length, position, (error, bytesRead) => callback(error, bytesRead));
  }

  override close(callback: (err: Error | null) => void): void {
    close(this.fd, callback);
  }
}

/** yauzl.openPromise's equivalent over FileRangeReader (lazy entries, as extraction reads them). */
export async function openZipFile(file: string, options: yauzl.Options): Promise<yauzl.ZipFile> {
  const fd = await promisify(open)(file, "r");
  try {
    const { size } = await promisify(fstat)(fd);
    // yauzl holds the reader from here until ZipFile.close() (or the last entry, with autoClose).
    return await yauzl.fromRandomAccessReaderPromise(new FileRangeReader(fd), size, options);
  } catch (error) {
    close(fd, () => undefined);
    throw error;
  }
}
