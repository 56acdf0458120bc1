// The npm registry reachable here lacks some platform-specific optional packages (404 for e.g.
// @next/swc-darwin-x64@16.4.6), so `npm install` leaves them out of package-lock.json and then
// `npm ci` refuses the lock as out of sync. This records each missing optional package with its
// platform (from its name), exactly as npm records one it could resolve; npm ci skips them on
// this platform without fetching. Run after `npm install` changes the lock.
import { readFileSync, writeFileSync } from "node:fs";

const OS = [
  "android",
  "darwin",
  "freebsd",
  "linux",
  "win32",
  "openharmony",
  "sunos",
  "aix",
  "netbsd",
  "openbsd",
];
const CPU = ["arm64", "x64", "arm", "ia32", "loong64", "ppc64", "riscv64", "s390x", "wasm32", "mips64el"];

const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const packages = lock.packages;
const present = new Set(Object.keys(packages).map((k) => k.replace(/^.*node_modules\//, "")));
let added = 0;
for (const [key, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    if (present.has(name)) continue;
    const parts = name.split("/").pop().split("-");
    const os = parts.find((p) => OS.includes(p));
    const cpu = parts.find((p) => CPU.includes(p));
    if (!cpu) continue; // not a platform package: leave it to npm
    packages[`node_modules/${name}`] = {
      version,
      ...(cpu ? { cpu: [cpu] } : {}),
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      ...(os ? { os: [os] } : {}),
    };
    present.add(name);
    added += 1;
    if (key === "") throw new Error(`${name}: a direct optional dependency is missing from the registry`);
  }
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : 1)),
);
writeFileSync("package-lock.json", `${JSON.stringify(lock, null, 2)}\n`);
console.error(`package-lock.json: recorded ${added} platform package(s) the registry does not serve`);
