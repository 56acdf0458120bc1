import { describe, expect, it } from "vitest";
import { getCollectJob, startCollectJob, type StartCollectJob } from "./collect-jobs";

const options = (overrides: Partial<StartCollectJob> = {}): StartCollectJob => ({
  kind: "run",
  target: String(Math.floor(Math.random() * 1e12)),
  dryRun: false,
  actor: "operator@example.test",
  mask: (text) => text.replaceAll("ghs_secret", "***"),
  answerWithinMs: 2_000,
  ...overrides,
});

/** A promise with its resolve/reject exposed, to hold work in flight. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("collections started from the dashboard", () => {
  it("answers at the work's first progress while it goes on, then keeps its outcome", async () => {
    const finish = deferred<string>();
    const job = await startCollectJob(options(), async (started) => {
      started();
      return finish.promise;
    });
    expect(job.state).toBe("running");
    expect(job.finishedAt).toBeNull();

    finish.resolve("run 7 collected: 2 artifact(s)");
    await finish.promise;
    await new Promise((resolve) => setImmediate(resolve));
    expect(getCollectJob(job.id)).toMatchObject({ state: "done", summary: "run 7 collected: 2 artifact(s)" });
    expect(getCollectJob(job.id)?.finishedAt).not.toBeNull();
  });

  it("answers with the failure when the work fails before it begins, masked", async () => {
    const job = await startCollectJob(options(), async () => {
      throw new Error("GitHub refused the token ghs_secret (HTTP 401)");
    });
    expect(job).toMatchObject({ state: "failed", error: "GitHub refused the token *** (HTTP 401)" });
  });

  it("answers after the wait when the work neither begins nor ends, without stopping it", async () => {
    const finish = deferred<string>();
    const began = performance.now();
    const job = await startCollectJob(options({ answerWithinMs: 100 }), () => finish.promise);
    expect(performance.now() - began).toBeLessThan(1_000);
    expect(job.state).toBe("running");
    finish.reject(new Error("listing timed out"));
    await finish.promise.catch(() => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    expect(getCollectJob(job.id)).toMatchObject({ state: "failed", error: "listing timed out" });
  });

  it("answers the running job to a second click on the same collection instead of starting it twice", async () => {
    const finish = deferred<string>();
    let starts = 0;
    const work = async (started: () => void) => {
      starts += 1;
      started();
      return finish.promise;
    };
    const same = options();
    const first = await startCollectJob(same, work);
    const second = await startCollectJob(same, work);
    const dryRun = await startCollectJob({ ...same, dryRun: true }, work);
    expect(second.id).toBe(first.id);
    expect(dryRun.id).not.toBe(first.id);
    expect(starts).toBe(2);
    finish.resolve("done");
  });

  it("hands out copies: a caller cannot change the registry's job", async () => {
    const job = await startCollectJob(options(), async () => "done");
    job.state = "failed";
    expect(getCollectJob(job.id)?.state).toBe("done");
    expect(getCollectJob("no-such-job")).toBeUndefined();
  });
});
