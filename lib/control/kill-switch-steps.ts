/**
 * The engage and release steps bound to outside systems (DESIGN §7 steps 2 and 5), registered in
 * one place so every way of engaging (dashboard, CLI, automatic trip) runs the same sequence:
 * each adapter's step module calls registerEngageStep / registerReleaseStep when imported here.
 */
import "../github/kill-switch-steps";
import "../notify/kill-switch-slack-step";
export {};
