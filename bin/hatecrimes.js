#!/usr/bin/env -S node --max-semi-space-size=16
// The command's entry point, plain JavaScript so that an older Node can say what it needs instead
// of failing on the TypeScript sources, which Node 24 runs directly. A bounded young generation
// (--max-semi-space-size=16, also in the npm scripts) keeps memory flat on long runs: the pipeline
// makes much short-lived garbage, and V8 otherwise lets the young generation grow to ~100 MiB. At 8
// a 1,000,000-row `run` spent a fifth more CPU for no less memory: its 428 scavenges took 3 ms each
// (much of the young generation was still alive), against 232 of 0.85 ms at 16. The ingest and
// produce gain nothing from 16 and hold some 30 MiB more (BENCHMARKS.md).
const major = Number(process.versions.node.split('.')[0])
if (major < 24) {
  console.error(
    `hatecrimes needs Node.js 24 or newer (found ${process.versions.node}). ` +
      'Run it through npm (npm start, npm run hatecrimes -- <command>) or npx hatecrimes, ' +
      'which use the Node 24 that npm ci puts in node_modules/.bin.',
  )
  process.exit(2)
}
// Node strips the types off the TypeScript sources with a WebAssembly compiler that each thread
// reading one loads and keeps (some 20 MiB a thread). The compile cache keeps the stripped and
// compiled code on disk (in the system's temporary folder), so later starts, and the ingest's take
// thread, go without it; NODE_COMPILE_CACHE hands the folder to worker threads.
// NODE_DISABLE_COMPILE_CACHE=1 turns it off.
const { enableCompileCache } = await import('node:module')
const cache = enableCompileCache()
if (cache.directory) process.env.NODE_COMPILE_CACHE ??= cache.directory
await import('../src/cli/main.ts')
