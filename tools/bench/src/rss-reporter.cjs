// Preloaded (node --require) into every measured process: on exit it writes the process's peak
// resident set size, so each tool's memory is read the same way, whatever it is written in.
const { appendFileSync } = require('node:fs');
const out = process.env.BENCH_RSS_OUT;
if (out) process.on('exit', () => appendFileSync(out, `${process.resourceUsage().maxRSS * 1024}\n`));
