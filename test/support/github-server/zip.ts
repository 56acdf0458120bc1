import { ZipFile } from "yazl";

/** A zip archive built in memory, as GitHub serves an artifact (deterministic: fixed mtime). */
export async function buildZip(files: Record<string, Buffer | string>): Promise<Buffer> {
  const zip = new ZipFile();
  const mtime = new Date("2025-11-14T00:00:00Z");
  for (const [name, content] of Object.entries(files)) {
    zip.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content), name, { mtime });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}
