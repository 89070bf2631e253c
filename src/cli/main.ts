#!/usr/bin/env node
import { Command, CommanderError } from 'commander'
import { HatecrimesError } from '../core/errors.ts'
import { registerIngest } from './ingest.ts'
import { registerProduce } from './produce.ts'

const major = Number(process.versions.node.split('.')[0])
if (major < 24) {
  console.error(
    `hatecrimes needs Node.js 24 or newer (found ${process.versions.node}). ` +
      'Run it through npm (npm start, npm run hatecrimes -- <command>) or npx hatecrimes, ' +
      'which use the Node 24 that npm ci puts in node_modules/.bin.',
  )
  process.exit(2)
}

const program = new Command('hatecrimes')
  .description('Stream hate-crime incident records into a partitioned Parquet lake and chart them')
  .showHelpAfterError()
  .exitOverride()
registerProduce(program)
registerIngest(program)

try {
  await program.parseAsync(process.argv)
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode)
  if (error instanceof HatecrimesError) {
    console.error(`error: ${error.message}`)
    process.exit(error.exitCode)
  }
  throw error
}
