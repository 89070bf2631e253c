import { InvalidArgumentError } from 'commander'

/**
 * The lake every command uses unless `--lake` says otherwise: `HATECRIMES_LAKE`, else `./lake`.
 *
 * @example
 * program.option('--lake <url>', 'lake URL', defaultLake())
 */
export function defaultLake(): string {
  return process.env.HATECRIMES_LAKE || './lake'
}

/**
 * A commander parser for a flag that takes a positive whole number, with an error that names the
 * flag and what was found.
 *
 * @example
 * command.option('--rows <n>', 'rows to write', positiveInteger('--rows'), 10_000)
 */
export function positiveInteger(flag: string): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
      throw new InvalidArgumentError(`Expected a positive whole number for ${flag} (got "${value}")`)
    }
    return Number(value)
  }
}

/**
 * A commander parser for a TCP port (1-65535).
 *
 * @example
 * command.option('--port <n>', 'port', port('--port'), 8080)
 */
export function port(flag: string): (value: string) => number {
  return (value) => {
    const number = Number(value)
    if (!/^\d+$/.test(value.trim()) || number < 1 || number > 65_535) {
      throw new InvalidArgumentError(`Expected a port number from 1 to 65535 for ${flag} (got "${value}")`)
    }
    return number
  }
}
