import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'

// The notebook is committed without outputs: executed outputs hold one machine's lake and paths, and
// the integration test executes it afresh (test/integration/notebook.test.ts).
test('the committed notebook holds no outputs', () => {
  const { cells } = JSON.parse(readFileSync('notebooks/hatecrimes-lake.ipynb', 'utf8')) as {
    cells: { cell_type: string; outputs?: unknown[]; execution_count?: number | null }[]
  }
  const executed = cells.filter((cell) => cell.cell_type === 'code' && ((cell.outputs ?? []).length > 0 || cell.execution_count != null))
  assert.ok(cells.some((cell) => cell.cell_type === 'code'), 'the notebook has code cells')
  assert.equal(executed.length, 0, 'strip outputs before committing (Jupyter: Edit > Clear All Outputs)')
})
