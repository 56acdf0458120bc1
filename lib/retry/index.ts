export { RETRY_POLICY, decideRetry } from "./policy";
export type { RetryDecision, RetryDecisionKind, RetryInput } from "./policy";
export { executeWithRetry, sleepWithSignal } from "./executor";
export type { DecisionRecord, ExecuteOptions, ExecuteResult, OperationResponse } from "./executor";
