import type { RunRecord } from "../evidence/run-record";
import type { CompletionWalk } from "./completion-walk";
import type { SelfHeal } from "./kpis";
import { FAILURE, seconds, type WindowRuns } from "./kpi-window";

/**
 * Self-heal rule (DESIGN §6, "first failure → success"), over runs in the window only:
 * 1. A successful retry (trigger_mode "retry" or a retry_origin set) heals the failed run its
 *    retry_origin names, and, walking retry_origin further back through failed runs, every earlier
 *    failure of the same chain: the first failure's self-heal time spans the whole chain.
 * 2. A failure still unhealed is healed by the next success (by completion time) of the same
 *    workflow_name + branch (missing values count as empty strings).
 * Only a success completed after the failure heals it; self_heal_sec = success completion −
 * failure completion. The list is ordered by the failure's completion, then run_id.
 */
export function findSelfHeals(
  runs: readonly RunRecord[],
  win: WindowRuns,
  scan: SelfHealScan,
  walk: CompletionWalk,
): SelfHeal[] {
  if (scan.failureCount === 0) return [];
  const byRetry = healByRetries(runs, win, scan);
  return listHeals(runs, win, byRetry, walk);
}

/**
 * What the self-heal search needs from the run objects, gathered during computeKpis' one pass
 * over them (the objects lie all over the heap: a second pass cost as much as the first). A
 * failure is known by its position; of failed runs sharing a run_id, the last counts (as a
 * Map.set would have it). Typed arrays besides the map: plain arrays would allocate as they grow,
 * enough on the first call to set off a garbage collection over all the freshly parsed runs.
 */
export class SelfHealScan {
  /** run_id → position of the last failed run with that id. */
  readonly failureAt = new Map<string, number>();
  /** Some run_id failed twice: then `replaced` is worked out (see replacedFailures). */
  duplicates = false;
  /** Per position: 1 when the failed run there names a retry_origin (rule 1's chains go on). */
  readonly chained: Uint8Array;
  /** Per position of a success or failure: its stream. */
  readonly streamOf: Int32Array;
  /** Positions of the successful retries, in input order. */
  readonly fixPos: Int32Array;
  fixCount = 0;
  readonly streams = new StreamIds();

  /** `capacity`: at least the number of in-window runs. */
  constructor(capacity: number) {
    this.chained = new Uint8Array(capacity);
    this.streamOf = new Int32Array(capacity);
    this.fixPos = new Int32Array(capacity);
  }

  get failureCount(): number {
    return this.failureAt.size;
  }

  addSuccess(run: RunRecord, p: number): void {
    this.streamOf[p] = this.streams.idOf(run, p);
    if (run.trigger_mode === "retry" || run.retry_origin !== null) this.fixPos[this.fixCount++] = p;
  }

  addFailure(run: RunRecord, p: number): void {
    this.streamOf[p] = this.streams.idOf(run, -1);
    this.chained[p] = run.retry_origin !== null ? 1 : 0;
    const known = this.failureAt.size;
    this.failureAt.set(run.run_id, p);
    if (this.failureAt.size === known) this.duplicates = true;
  }

  /** Per position: 1 for a failed run a later one with its run_id replaced; null when none did. */
  replacedFailures(count: number, status: Uint8Array): Uint8Array | null {
    if (!this.duplicates) return null;
    const replaced = new Uint8Array(count);
    for (let p = 0; p < count; p++) if (status[p] === FAILURE) replaced[p] = 1;
    for (const p of this.failureAt.values()) replaced[p] = 0;
    return replaced;
  }
}

/**
 * Rule 1. Each successful retry walks its chain back; a failure keeps the earliest success that
 * reached it. Ties (completed in the same millisecond) go to the success walked first when the
 * walk went stream by stream, streams in order of first success (workflow_name, then branch),
 * each in input order: the earlier implementation's order, kept so that results do not change.
 * A chain that loops back on itself stops at the first failure met twice (stamped with the walk).
 * Returns, per position of a failure, the position of the success that healed it, −1 for none.
 */
function healByRetries(runs: readonly RunRecord[], win: WindowRuns, scan: SelfHealScan): Int32Array {
  const { count, completedAt, index } = win;
  const { failureAt, chained, streamOf } = scan;
  const fixOf = new Int32Array(count).fill(-1);
  const walkOf = new Int32Array(count).fill(-1);
  const walkRank = scan.streams.walkRank();
  for (let walk = 0; walk < scan.fixCount; walk++) {
    const p = scan.fixPos[walk]!;
    const t = completedAt[p]!;
    let origin = runs[index[p]!]!.retry_origin;
    while (origin !== null) {
      const failed = failureAt.get(origin);
      if (failed === undefined || walkOf[failed] === walk) break;
      walkOf[failed] = walk;
      if (completedAt[failed]! >= t) break;
      const earlier = fixOf[failed]!;
      if (
        earlier === -1 ||
        t < completedAt[earlier]! ||
        (t === completedAt[earlier]! && walkRank[streamOf[p]!]! < walkRank[streamOf[earlier]!]!)
      ) {
        fixOf[failed] = p;
      }
      // Most failed runs name no retry_origin: then the walk ends without reading the run again.
      origin = chained[failed] ? runs[index[failed]!]!.retry_origin : null;
    }
  }
  return fixOf;
}

/**
 * The healed failures by completion, failures of the same instant by run_id. A failure rule 1
 * left unhealed takes rule 2's next success of its stream, which the walk found.
 */
function listHeals(
  runs: readonly RunRecord[],
  win: WindowRuns,
  byRetry: Int32Array,
  { byCompletion, nextSuccess }: CompletionWalk,
): SelfHeal[] {
  const { index, completedAt } = win;
  const healed: SelfHeal[] = [];
  let instant = NaN;
  let instantFrom = 0;
  for (let i = 0; i < byCompletion.length; i++) {
    const failed = byCompletion[i]!;
    const retry = byRetry[failed]!;
    const fixPos = retry !== -1 ? retry : nextSuccess[failed]!;
    if (fixPos === -1) continue;
    const at = completedAt[failed]!;
    if (at !== instant) {
      if (healed.length - instantFrom > 1) sortFrom(healed, instantFrom);
      instant = at;
      instantFrom = healed.length;
    }
    healed.push({
      run_id: runs[index[failed]!]!.run_id,
      healed_by: runs[index[fixPos]!]!.run_id,
      self_heal_sec: seconds((completedAt[fixPos]! - at) / 1000),
    });
  }
  if (healed.length - instantFrom > 1) sortFrom(healed, instantFrom);
  return healed;
}

/** Failures of one instant go by run_id. */
function sortFrom(healed: SelfHeal[], from: number): void {
  healed.push(...healed.splice(from).sort(byRunId));
}

const byRunId = (a: SelfHeal, b: SelfHeal) => (a.run_id < b.run_id ? -1 : a.run_id > b.run_id ? 1 : 0);

/**
 * Streams (workflow_name + branch, missing values as empty strings) numbered as first met. Runs
 * of one stream usually follow each other, so the last one is remembered: no lookup, and no
 * joined key string per run.
 */
class StreamIds {
  private readonly byWorkflow = new Map<string, { workflow: number; branches: Map<string, number> }>();
  private lastWorkflow: string | undefined;
  private lastBranch: string | undefined;
  private lastId = -1;
  private readonly workflowOf: number[] = [];
  /** Position of the first success per stream and per workflow, −1 for none yet. */
  private readonly firstSuccess: number[] = [];
  private readonly workflowFirstSuccess: number[] = [];

  get count(): number {
    return this.workflowOf.length;
  }

  idOf(run: RunRecord, successPos: number): number {
    const workflow = run.workflow_name ?? "";
    const branch = run.branch ?? "";
    let id = this.lastId;
    if (id === -1 || workflow !== this.lastWorkflow || branch !== this.lastBranch) {
      id = this.lookUp(workflow, branch);
      this.lastWorkflow = workflow;
      this.lastBranch = branch;
      this.lastId = id;
    }
    if (successPos !== -1 && this.firstSuccess[id] === -1) {
      this.firstSuccess[id] = successPos;
      const w = this.workflowOf[id]!;
      if (this.workflowFirstSuccess[w] === -1) this.workflowFirstSuccess[w] = successPos;
    }
    return id;
  }

  /** The order rule 1 walked the streams in: by their workflow's first success, then their own. */
  walkRank(): Int32Array {
    const orLast = (pos: number) => (pos === -1 ? Number.MAX_SAFE_INTEGER : pos);
    const workflowFirst = (id: number) => orLast(this.workflowFirstSuccess[this.workflowOf[id]!]!);
    const first = (id: number) => orLast(this.firstSuccess[id]!);
    const ids = this.workflowOf.map((_, id) => id);
    ids.sort((a, b) => workflowFirst(a) - workflowFirst(b) || first(a) - first(b) || a - b);
    const rank = new Int32Array(ids.length);
    ids.forEach((id, r) => (rank[id] = r));
    return rank;
  }

  private lookUp(workflow: string, branch: string): number {
    let entry = this.byWorkflow.get(workflow);
    if (!entry) {
      entry = { workflow: this.workflowFirstSuccess.push(-1) - 1, branches: new Map() };
      this.byWorkflow.set(workflow, entry);
    }
    let id = entry.branches.get(branch);
    if (id === undefined) {
      id = this.workflowOf.push(entry.workflow) - 1;
      this.firstSuccess.push(-1);
      entry.branches.set(branch, id);
    }
    return id;
  }
}
