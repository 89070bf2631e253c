import { Command, CommanderError } from 'commander'
import { environment } from '../core/config.ts'
import { HatecrimesError } from '../core/errors.ts'
import { hideUserInfo } from '../core/url-credentials.ts'
import { registerCompact } from './compact.ts'
import { registerDemo } from './demo.ts'
import { registerGenerate } from './generate.ts'
import { registerIngest } from './ingest.ts'
import { registerMigrateLake } from './migrate-lake.ts'
import { registerPopulation } from './population.ts'
import { registerProduce } from './produce.ts'
import { registerQuery } from './query.ts'
import { registerRun } from './run.ts'
import { registerServe } from './serve.ts'

const program = new Command('hatecrimes')
  .description('Stream hate-crime incident records into a partitioned Parquet lake and chart them')
  .showHelpAfterError()
  .exitOverride()

try {
  // Read and check the environment before anything else, so a wrong variable stops every command
  // at once with its name (the options' defaults come from it).
  environment()
  for (const register of [registerDemo, registerRun, registerGenerate, registerQuery, registerPopulation, registerProduce, registerIngest, registerCompact, registerMigrateLake, registerServe]) register(program)
  await program.parseAsync(process.argv)
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode)
  if (error instanceof HatecrimesError) {
    console.error(`error: ${hideUserInfo(error.message)}`)
    process.exit(error.exitCode)
  }
  throw error
}
