import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  startStorageServer,
  streamSlowly,
  TEST_SIGNATURE,
  type StorageHandler,
  type StorageServer,
} from "../../test/support/storage-server";
import { InputError, KillSwitchEngagedError, RetryExhaustedError, ServiceRefusedError } from "../errors";
import type { DecisionRecord } from "../retry";
import { DownloadIntegrityError, downloadArtifact, type DownloadProgress } from "./download";

const settings = { RETRY_BACKOFF_SCALE: 0 };
const payload = randomBytes(300_000);
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const digest = `sha256:${sha256(payload)}`;

let dir: string;
let server: StorageServer | undefined;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "auditloop-download-"));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function serve(handler: StorageHandler): Promise<StorageServer> {
  server = await startStorageServer(handler);
  return server;
}

const whole =
  (body: Buffer): StorageHandler =>
  (_req, res) => {
    res.writeHead(200, { "content-type": "application/zip", "content-length": String(body.length) });
    res.end(body);
  };

/** Promises Content-Length for the whole body, sends half, then drops the connection. */
const cutHalfway: StorageHandler = (_req, res) => {
  res.writeHead(200, { "content-length": String(payload.length) });
  res.write(payload.subarray(0, payload.length / 2), () => setTimeout(() => res.socket?.destroy(), 20));
};

const destFile = () => path.join(dir, "artifact.zip");

async function failure(run: Promise<unknown>): Promise<Error> {
  const outcome = await run.then(
    () => new Error("expected the download to fail, it succeeded"),
    (error: unknown) => error,
  );
  if (!(outcome instanceof Error) || outcome.message.startsWith("expected the download")) throw outcome;
  return outcome;
}

/** An error's message with its whole cause chain, as a log line that printed it all would show. */
function describeDeep(error: unknown): string {
  const parts: string[] = [];
  for (let e = error; e instanceof Error; e = e.cause) parts.push(`${e.name}: ${e.message}`);
  return parts.join(" <- ");
}

describe("downloadArtifact", () => {
  it("streams the zip to its file, checks GitHub's digest and leaves nothing else beside it", async () => {
    const storage = await serve(whole(payload));
    const result = await downloadArtifact({
      url: storage.signedUrl("artifact.zip"),
      destFile: destFile(),
      expectedDigest: digest,
      expectedSize: payload.length,
      settings,
    });
    expect(result).toMatchObject({ bytes: payload.length, sha256: sha256(payload), attempts: 1 });
    expect((await readFile(destFile())).equals(payload)).toBe(true);
    expect(await readdir(dir)).toEqual(["artifact.zip"]);
    expect(storage.requests).toHaveLength(1);
    expect(storage.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("fails a body cut short of its Content-Length, retrying it per policy, and leaves no file", async () => {
    const storage = await serve(cutHalfway);
    const run = downloadArtifact({ url: storage.signedUrl("a.zip"), destFile: destFile(), settings });
    await expect(run).rejects.toBeInstanceOf(RetryExhaustedError);
    await expect(run).rejects.toThrow(/after 4 attempts/);
    expect(storage.requests).toHaveLength(4);
    expect(await readdir(dir)).toEqual([]);
  });

  it("fails the digest check when a body without Content-Length ends early, without retrying", async () => {
    const storage = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/zip" }); // chunked: no length to check
      res.end(payload.subarray(0, 1000));
    });
    const run = downloadArtifact({
      url: storage.signedUrl("a.zip"),
      destFile: destFile(),
      expectedDigest: digest,
      settings,
    });
    await expect(run).rejects.toBeInstanceOf(DownloadIntegrityError);
    await expect(run).rejects.toThrow(/differs from the digest GitHub reported/);
    expect(storage.requests).toHaveLength(1);
    expect(await readdir(dir)).toEqual([]);
  });

  it("refuses bytes whose digest differs from the one GitHub reported and keeps no file", async () => {
    const storage = await serve(whole(payload));
    const wrong = `sha256:${sha256(Buffer.from("something else"))}`;
    const run = downloadArtifact({
      url: storage.signedUrl("a.zip"),
      destFile: destFile(),
      expectedDigest: wrong,
      settings,
    });
    await expect(run).rejects.toBeInstanceOf(DownloadIntegrityError);
    expect(await readdir(dir)).toEqual([]);
  });

  it("refuses bytes whose length differs from the size GitHub reported", async () => {
    const storage = await serve(whole(payload));
    const run = downloadArtifact({
      url: storage.signedUrl("a.zip"),
      destFile: destFile(),
      expectedSize: payload.length + 1,
      settings,
    });
    await expect(run).rejects.toThrow(/received 300000 bytes, GitHub reported 300001/);
    expect(await readdir(dir)).toEqual([]);
  });

  it("retries a 503 once and keeps the whole second body", async () => {
    const storage = await serve((req, res, attempt) => {
      if (attempt === 1) return void res.writeHead(503).end("busy");
      whole(payload)(req, res, attempt);
    });
    const decisions: DecisionRecord[] = [];
    const result = await downloadArtifact({
      url: storage.signedUrl("a.zip"),
      destFile: destFile(),
      expectedDigest: digest,
      settings,
      onDecision: (record) => decisions.push(record),
    });
    expect(result.attempts).toBe(2);
    expect(decisions.map((d) => [d.status, d.decision.kind])).toEqual([
      [503, "retry"],
      [200, "success"],
    ]);
    expect(storage.requests).toHaveLength(2);
    expect((await readFile(destFile())).equals(payload)).toBe(true);
  });

  it("restarts from byte zero when the retry follows a body cut mid-way", async () => {
    const storage = await serve((req, res, attempt) =>
      (attempt === 1 ? cutHalfway : whole(payload))(req, res, attempt),
    );
    const result = await downloadArtifact({
      url: storage.signedUrl("a.zip"),
      destFile: destFile(),
      settings,
    });
    expect(result).toMatchObject({ attempts: 2, bytes: payload.length, sha256: sha256(payload) });
    expect((await readFile(destFile())).equals(payload)).toBe(true);
    expect(await readdir(dir)).toEqual(["artifact.zip"]);
  });

  it("never sends Authorization to the storage host, also across a redirect", async () => {
    const storage = await serve((req, res, attempt) => {
      if (req.url?.startsWith("/blob/"))
        return void res.writeHead(302, { location: "/moved?sig=again" }).end();
      whole(payload)(req, res, attempt);
    });
    await downloadArtifact({
      url: storage.signedUrl("a.zip"),
      destFile: destFile(),
      expectedDigest: digest,
      settings,
    });
    expect(storage.requests.map((r) => r.url.split("?")[0])).toEqual(["/blob/a.zip", "/moved"]);
    expect(storage.authorizationViolations).toBe(0);
    // The server's own check works: a request that does carry the header is refused and counted.
    const direct = await fetch(storage.signedUrl("a.zip"), { headers: { authorization: "token ghp_x" } });
    expect(direct.status).toBe(400);
    expect(storage.authorizationViolations).toBe(1);
  });

  it("refuses a URL with credentials or plain http off loopback before any request", async () => {
    const storage = await serve(whole(payload));
    const withCredentials = storage.signedUrl("a.zip").replace("http://", "http://user:pw@");
    for (const url of [withCredentials, "http://storage.example/blob?sig=x", "not a url ?sig=x"]) {
      const run = downloadArtifact({ url, destFile: destFile(), settings });
      await expect(run).rejects.toBeInstanceOf(InputError);
      await expect(run).rejects.not.toThrow(/sig=x|pw@/);
    }
    expect(storage.requests).toHaveLength(0);
  });

  it("never shows the signed URL's path or query in errors or retry records", async () => {
    const storage = await serve((_req, res) => void res.writeHead(503).end());
    const decisions: DecisionRecord[] = [];
    const url = storage.signedUrl("secret-name.zip");
    const exhausted = await failure(
      downloadArtifact({
        url,
        destFile: destFile(),
        settings,
        onDecision: (record) => decisions.push(record),
      }),
    );
    await storage.close();
    const unreachable = await failure(downloadArtifact({ url, destFile: destFile(), settings }));
    const refusing = await serve((_req, res) => void res.writeHead(403).end("AuthenticationFailed"));
    const refused = await failure(
      downloadArtifact({ url: refusing.signedUrl("secret-name.zip"), destFile: destFile(), settings }),
    );
    expect(exhausted).toBeInstanceOf(RetryExhaustedError);
    expect(unreachable).toBeInstanceOf(RetryExhaustedError);
    expect(unreachable.message).toMatch(/connection failure ECONNREFUSED/);
    expect(refused).toBeInstanceOf(ServiceRefusedError);
    expect(refused.message).toMatch(/HTTP 403/);
    const shown = [exhausted, unreachable, refused].map(describeDeep).join("\n") + JSON.stringify(decisions);
    expect(shown).toContain(storage.origin);
    for (const secret of [TEST_SIGNATURE, "sig=", "secret-name"]) expect(shown).not.toContain(secret);
  });

  it("stops within 1 s when the kill switch fires mid-download and leaves no file", async () => {
    const storage = await serve((_req, res) => {
      res.writeHead(200, { "content-length": String(payload.length) });
      streamSlowly(res, payload, 1024, 25); // about 7 s for the whole body
    });
    const controller = new AbortController();
    const reason = new KillSwitchEngagedError("kill switch engaged");
    let partialSeen = false;
    let abortedAt = 0;
    const run = downloadArtifact({
      url: storage.signedUrl("a.zip"),
      destFile: destFile(),
      settings,
      signal: controller.signal,
      progressIntervalMs: 0,
      onProgress: ({ bytes }) => {
        if (bytes < 4096 || controller.signal.aborted) return;
        partialSeen = true;
        controller.abort(reason);
        abortedAt = performance.now();
      },
    });
    await expect(run).rejects.toBe(reason);
    expect(partialSeen).toBe(true);
    expect(performance.now() - abortedAt).toBeLessThan(1_000);
    expect(await readdir(dir)).toEqual([]);
  });

  it("reports throttled progress that rises to 100 %", async () => {
    const storage = await serve((_req, res) => {
      res.writeHead(200, { "content-length": String(payload.length) });
      streamSlowly(res, payload, 10_000, 5);
    });
    const seen: DownloadProgress[] = [];
    await downloadArtifact({
      url: storage.signedUrl("a.zip"),
      destFile: destFile(),
      settings,
      progressIntervalMs: 40,
      onProgress: (progress) => seen.push(progress),
    });
    expect(seen.at(-1)).toEqual({ bytes: payload.length, total: payload.length, percent: 100 });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.length).toBeLessThan(payload.length / 10_000); // fewer reports than chunks
    seen.forEach((p, i) => expect(p.bytes).toBeGreaterThanOrEqual(seen[i - 1]?.bytes ?? 0));
  });

  it("retries a body that stalls as a timeout and asks for a fresh URL each attempt", async () => {
    const storage = await serve((req, res, attempt) => {
      if (attempt > 1) return whole(payload)(req, res, attempt);
      res.writeHead(200, { "content-length": String(payload.length) });
      res.write(payload.subarray(0, 100)); // then nothing
    });
    const asked: number[] = [];
    const result = await downloadArtifact({
      url: async (attempt) => {
        asked.push(attempt);
        return storage.signedUrl(`a-${attempt}.zip`);
      },
      destFile: destFile(),
      expectedDigest: digest,
      stallTimeoutMs: 200,
      settings,
    });
    expect(result.attempts).toBe(2);
    expect(asked).toEqual([1, 2]);
    expect(storage.requests.map((r) => r.url.split("?")[0])).toEqual(["/blob/a-1.zip", "/blob/a-2.zip"]);
  });

  it("rejects a malformed reported digest before any request", async () => {
    const storage = await serve(whole(payload));
    const run = downloadArtifact({
      url: storage.signedUrl("a.zip"),
      destFile: destFile(),
      expectedDigest: "md5:abc",
      settings,
    });
    await expect(run).rejects.toThrow(/expectedDigest: expected "sha256:" and 64 hex digits, got "md5:abc"/);
    expect(storage.requests).toHaveLength(0);
  });

  it("removes the folders it made for a download that failed", async () => {
    const storage = await serve((_req, res) => void res.writeHead(404).end());
    const nested = path.join(dir, "artifacts", "run-1", "raw", "a.zip");
    await expect(
      downloadArtifact({ url: storage.signedUrl("a.zip"), destFile: nested, settings }),
    ).rejects.toThrow(/HTTP 404/);
    expect(await readdir(dir)).toEqual([]);
  });

  it("refuses a 409 that brings no file instead of counting it as success", async () => {
    const storage = await serve((_req, res) => void res.writeHead(409).end());
    const run = downloadArtifact({ url: storage.signedUrl("a.zip"), destFile: destFile(), settings });
    await expect(run).rejects.toThrow(/download refused \(HTTP 409\)/);
    expect(await readdir(dir)).toEqual([]);
  });
});
