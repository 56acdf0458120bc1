export { collectRun, collectRunAction, type CollectDeps } from "./collect-run";
export { collectWindow, collectWindowAction } from "./collect-window";
export { listCollections, type CollectionRecord } from "./collections-store";
export { listSelfHealAttempts, HEAL_OBJECTIVE_SEC, type SelfHealAttempt } from "./self-heal-store";
export { decideRerun, type HealDecision } from "./heal-rule";
export { formatProgress, throttleProgress } from "./progress";
export {
  collectRunInputSchema,
  collectWindowInputSchema,
  type CollectRunInput,
  type CollectWindowInput,
} from "./inputs";
export {
  COLLECT_PHASES,
  type ArtifactOutcome,
  type CollectEnv,
  type CollectPhase,
  type CollectProgress,
  type CollectRunResult,
  type CollectWindowResult,
  type OnCollectProgress,
  type ParityOutcome,
  type RerunDecision,
  type SelfHealReport,
} from "./types";
