import { HatecrimesError } from '../core/errors.ts'

/** What a folder-lake call was doing, for the error message. */
export interface FsContext {
  action: 'write' | 'read' | 'list' | 'delete'
  /** The file (or folder) the call was about. */
  path: string
  /** The lake's folder. */
  root: string
}

const NO_SPACE = new Set(['ENOSPC', 'EDQUOT'])
const DENIED = new Set(['EACCES', 'EPERM', 'EROFS'])

/**
 * Turns a file-system failure of a folder lake into an error with a stable code a user can act on:
 * `LAKE_NO_SPACE` for a full disk or quota, `LAKE_DENIED` for permissions and read-only disks,
 * `LAKE_READ_FAILED` or `LAKE_WRITE_FAILED` for the rest. Errors that are not the file system's
 * (no `syscall`), such as the store's own ObjectExistsError, pass unchanged.
 *
 * @example
 * throw describeFsError(error, { action: 'write', path: '/lake/incidents/a.parquet', root: '/lake' })
 */
export function describeFsError(error: unknown, context: FsContext): unknown {
  const { code, syscall } = error as NodeJS.ErrnoException
  if (!syscall || !code) return error
  const { action, path, root } = context
  if (NO_SPACE.has(code)) {
    return new HatecrimesError('LAKE_NO_SPACE', `No space left to ${action} ${path} (${code}): free space on the disk that holds ${root}, or give --lake another place`, { cause: error })
  }
  if (DENIED.has(code)) {
    return new HatecrimesError('LAKE_DENIED', `Not allowed to ${action} ${path} (${code}): check the permissions of ${root} and that its disk is writable`, { cause: error })
  }
  const failed = action === 'read' || action === 'list' ? 'LAKE_READ_FAILED' : 'LAKE_WRITE_FAILED'
  return new HatecrimesError(failed, `Could not ${action} ${path} in the lake ${root} (${code}: ${(error as Error).message})`, { cause: error })
}
