// `npm run setup`: what the tests need beyond `npm ci`, installed — Debian's Chromium for the web
// app's browser tests (apt-get; through sudo when not root) — and the native SQLite module rebuilt
// when it does not load.
// `npm test` does the same checks first and stops with what to run when something is missing.
import {
  betterSqlite3Problem,
  chromiumAdvice,
  findChromium,
  installChromium,
  rebuildBetterSqlite3,
} from './prerequisites.mjs';

const chromium = findChromium();
if (chromium.path) {
  console.log(`Chromium: ${chromium.path}`);
} else if (chromium.configured) {
  console.error(
    `The web app's browser tests need Chromium, and ${chromium.problem}: set it to an executable, or unset it.`,
  );
  process.exit(1);
} else {
  console.log(
    `Chromium: the web app's browser tests need it, and ${chromium.problem}. Installing Debian's Chromium:\n`,
  );
  const status = installChromium();
  const after = findChromium();
  if (status !== 0 || after.problem) {
    console.error(
      `\nChromium could not be installed${status !== 0 ? ` (exit ${status})` : `: ${after.problem}`}. Either\n${chromiumAdvice()}`,
    );
    process.exit(1);
  }
  console.log(`\nChromium: ${after.path}`);
}

if (betterSqlite3Problem()) {
  console.log(`${betterSqlite3Problem().split('\n')[0]} Rebuilding it:\n`);
  rebuildBetterSqlite3();
  const sqlite = betterSqlite3Problem();
  if (sqlite) {
    console.error(`\n${sqlite}`);
    process.exit(1);
  }
}
console.log('better-sqlite3: loads');
console.log('\nReady: npm test');
