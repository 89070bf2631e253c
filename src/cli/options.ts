/**
 * The lake every command uses unless `--lake` says otherwise: `HATECRIMES_LAKE`, else `./lake`.
 *
 * @example
 * program.option('--lake <url>', 'lake URL', defaultLake())
 */
export function defaultLake(): string {
  return process.env.HATECRIMES_LAKE || './lake'
}
