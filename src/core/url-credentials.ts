import { HatecrimesError } from './errors.ts'

// `scheme://user:password@host`: the user info is everything between `//` and the first `@` that comes
// before the host's end (a `/`, `?`, `#` or a space).
const USER_INFO = /([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi

/**
 * The text with the user info of every URL in it replaced by `***`, so that a password someone put
 * in a URL never reaches a message, a log line or the dashboard.
 *
 * @example
 * hideUserInfo('at http://key:secret@127.0.0.1:9000') // 'at http://***@127.0.0.1:9000'
 */
export function hideUserInfo(text: string): string {
  return text.replace(USER_INFO, '$1***@')
}

/** Whether a URL carries user info (`user:password@`). */
export function hasUserInfo(url: string): boolean {
  return new RegExp(USER_INFO.source, 'i').test(url)
}

/**
 * Refuses a URL that carries credentials: they belong in the AWS configuration, where they are
 * not printed with every message that names the URL. The error shows the URL without them.
 *
 * @example
 * refuseUserInfo(process.env.HATECRIMES_S3_ENDPOINT ?? '', 'HATECRIMES_S3_ENDPOINT')
 */
export function refuseUserInfo(url: string, where: string): void {
  if (!hasUserInfo(url)) return
  throw new HatecrimesError(
    'BAD_OPTION',
    `Expected ${where} without credentials (got "${hideUserInfo(url)}"): give them in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE`,
  )
}
