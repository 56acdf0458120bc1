export { startGitHubServer } from "./server";
export type { GitHubServer, GitHubServerOptions } from "./server";
export { loadSampleEventState } from "./from-sample";
export { buildZip } from "./zip";
export { completedRuns } from "./fixtures";
export type {
  ArtifactInput,
  Fault,
  GitHubServerState,
  JobInput,
  RecordedAction,
  RecordedRequest,
  RouteName,
  RunInput,
} from "./state";
