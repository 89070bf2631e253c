import { InvalidArgumentError, Option } from 'commander'
import { DEFAULTS, environment } from '../core/config.ts'
import { refuseUserInfo } from '../core/url-credentials.ts'
import { MAX_RECORD_CHARS } from '../sources/csv-chunks.ts'
import { encodingName } from '../sources/csv-decoding.ts'

/**
 * The `--lake` option every command takes: a folder, `file://` or `s3://bucket/prefix` URL, else
 * `HATECRIMES_LAKE`, else `./lake`. A URL with credentials in it is refused before anything prints
 * it (the flag here, the variable when the environment is parsed: core/config.ts).
 *
 * @example
 * command.addOption(lakeOption())
 */
export function lakeOption(): Option {
  return new Option('--lake <url>', 'lake folder, file:// or s3://bucket/prefix URL')
    .default(environment().lake, `HATECRIMES_LAKE, else ${DEFAULTS.lake}`)
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

/**
 * The `--encoding` option of every command that reads a CSV: UTF-8 (the default) is checked, never
 * repaired; an unknown name is refused when the command starts.
 *
 * @example
 * command.addOption(encodingOption())
 */
export function encodingOption(): Option {
  return new Option('--encoding <name>', "the CSV's text encoding: utf-8 (checked), windows-1252, latin1, utf-16le, ...").default('utf-8').argParser(encodingName)
}

/**
 * The `--max-record-chars` option of every command that reads a CSV: a longer record (a quote left
 * open) stops the read at that size instead of filling memory.
 *
 * @example
 * command.addOption(maxRecordOption())
 */
export function maxRecordOption(): Option {
  return new Option('--max-record-chars <n>', 'characters one CSV record may hold; a longer one stops the read')
    .default(MAX_RECORD_CHARS)
    .argParser(positiveInteger('--max-record-chars'))
}
