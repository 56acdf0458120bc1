import { verifyCollectionDryRunStep } from "../collect/checklist-step";
import { verifyUpsertsAndExcerptsStep } from "../notify/slack-excerpts-verify";
import { verifyObserverRunStep, verifyRetryPolicyStep } from "../observer/checklist-steps";
import { registerStepVerifier } from "./checklist-verify";
import { verifySecretsCheckStep } from "./secrets-check-actions";

/**
 * The checklist steps that later work made verifiable (DESIGN §12), registered in one place that
 * the checklist imports, so every reader of the checklist (dashboard, CLI, quality gate) sees them.
 */
registerStepVerifier(1, verifySecretsCheckStep);
registerStepVerifier(4, verifyCollectionDryRunStep);
registerStepVerifier(9, verifyUpsertsAndExcerptsStep);
registerStepVerifier(7, verifyObserverRunStep);
registerStepVerifier(8, verifyRetryPolicyStep);
