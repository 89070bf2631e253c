/**
 * A progress bar on stderr for long work: done/total, percent, rate and time left. On a terminal it
 * redraws one line (at most ten times a second); when stderr is not a terminal (CI, pipes, logs) it
 * stays quiet and `finish` prints the one final line.
 *
 * @example
 * const bar = progressBar('rows', total)
 * bar.update(done)
 * bar.finish()
 */
export interface ProgressBar {
  update(done: number, total?: number): void
  finish(): void
}

const WIDTH = 28

function format(label: string, done: number, total: number, started: number): string {
  const seconds = (performance.now() - started) / 1000
  const rate = seconds > 0 ? done / seconds : 0
  const fraction = total > 0 ? Math.min(1, done / total) : 0
  const filled = Math.round(fraction * WIDTH)
  const left = rate > 0 && total > done ? `, ${Math.ceil((total - done) / rate)} s left` : ''
  return (
    `${label} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ` +
    `${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} (${Math.round(rate).toLocaleString('en-US')}/s${left})`
  )
}

/** Starts a progress bar for `total` units of `label`. */
export function progressBar(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  const started = performance.now()
  const tty = Boolean(stream.isTTY)
  let lastDraw = 0
  let current = { done: 0, total }
  return {
    update(done, newTotal = current.total) {
      current = { done, total: newTotal }
      const now = performance.now()
      if (!tty || now - lastDraw < 100) return
      lastDraw = now
      stream.write(`\r${format(label, done, newTotal, started)}\x1b[K`)
    },
    finish() {
      const line = format(label, current.done, current.total, started)
      stream.write(tty ? `\r${line}\x1b[K\n` : `${line}\n`)
    },
  }
}

/**
 * A progress bar over the bytes of an input file, for the pipelines' `onProgress` callbacks
 * (`{ rows, bytesRead, totalBytes }`).
 *
 * @example
 * const bar = fileProgress('loading')
 * await runInProcess({ input, lake, onProgress: bar.update })
 * bar.finish()
 */
export function fileProgress(label: string): { update: (progress: { bytesRead: number; totalBytes: number }) => void; finish: () => void } {
  let bar: ProgressBar | undefined
  return {
    update: ({ bytesRead, totalBytes }) => (bar ??= progressBar(`${label} (bytes)`, totalBytes)).update(bytesRead, totalBytes),
    finish: () => bar?.finish(),
  }
}
