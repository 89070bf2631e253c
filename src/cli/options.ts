import { InvalidArgumentError, Option } from 'commander'
import { refuseUserInfo } from '../core/url-credentials.ts'

/**
 * The `--lake` option every command takes: a folder, `file://` or `s3://bucket/prefix` URL, else
 * `HATECRIMES_LAKE`, else `./lake`. A URL with credentials in it is refused before anything prints
 * it (commander runs the check on the environment's value too).
 *
 * @example
 * command.addOption(lakeOption())
 */
export function lakeOption(): Option {
  return new Option('--lake <url>', 'lake folder, file:// or s3://bucket/prefix URL')
    .env('HATECRIMES_LAKE')
    .default('./lake')
    .argParser((value: string) => {
      refuseUserInfo(value, '--lake (or HATECRIMES_LAKE)')
      return value
    })
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
