import { writeFile } from "node:fs/promises";
import { crc32, deflateRawSync } from "node:zlib";

/**
 * A raw ZIP writer for tests. yazl refuses the very names and shapes the extractor must refuse
 * (`../x`, `C:\x`, symlinks, sizes that lie), so the hostile archives are built byte by byte here.
 */
export interface CraftEntry {
  /** Written exactly as given (UTF-8, flag bit 11 set): any name at all. */
  name: string;
  data?: Buffer | string;
  method?: "stored" | "deflated";
  /** Unix mode in the external attributes' high 16 bits, type bits included (0o120777 = symlink). */
  mode?: number;
  /** Overrides the uncompressed size written in both headers (a size lie). */
  declaredSize?: number;
  /** Overrides the compressed size written in both headers. */
  declaredCompressedSize?: number;
  /** Overrides the CRC-32 written in both headers. */
  crc?: number;
  /** Sets the traditional-encryption flag (bit 0); the data is left as is. */
  encrypted?: boolean;
}

export const S_IFREG = 0o100000;
export const S_IFDIR = 0o040000;
export const S_IFLNK = 0o120000;

/** A symlink entry as Info-ZIP writes one: the target is the entry's data, the type in the mode. */
export function symlinkEntry(name: string, target: string): CraftEntry {
  return { name, data: target, mode: S_IFLNK | 0o777 };
}

export function directoryEntry(name: string): CraftEntry {
  return { name: name.endsWith("/") ? name : `${name}/`, mode: S_IFDIR | 0o755 };
}

const UTF8_FLAG = 0x0800;
const ENCRYPTED_FLAG = 0x0001;
const MADE_BY_UNIX = (3 << 8) | 20;
// 2025-01-01 00:00 in MS-DOS date/time.
const DOS_TIME = 0;
const DOS_DATE = ((2025 - 1980) << 9) | (1 << 5) | 1;

export function craftZip(entries: readonly CraftEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, "utf8");
    const raw =
      typeof entry.data === "string" ? Buffer.from(entry.data, "utf8") : (entry.data ?? Buffer.alloc(0));
    const deflated = entry.method === "deflated";
    const body = deflated ? deflateRawSync(raw) : raw;
    const crc = entry.crc ?? crc32(raw);
    const size = entry.declaredSize ?? raw.length;
    const compressed = entry.declaredCompressedSize ?? body.length;
    const flags = UTF8_FLAG | (entry.encrypted ? ENCRYPTED_FLAG : 0);
    const method = deflated ? 8 : 0;

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(MADE_BY_UNIX, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    // 30 extra length, 32 comment length, 34 disk, 36 internal attributes: all 0
    central.writeUInt32LE(((entry.mode ?? S_IFREG | 0o644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);

    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

export async function writeZip(file: string, entries: readonly CraftEntry[]): Promise<string> {
  await writeFile(file, craftZip(entries));
  return file;
}
