// Preloaded into a child the bench measures: its peak RSS (KiB), written where the bench reads it, however it exits.
const fs = require('node:fs');
process.on('exit', () => {
  if (process.env.BENCH_MAXRSS_FILE) fs.writeFileSync(process.env.BENCH_MAXRSS_FILE, String(process.resourceUsage().maxRSS));
});
