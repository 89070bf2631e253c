import { z } from 'zod'
import { BIAS_CATEGORIES } from '../transforms/bias-vocabulary.ts'

export const OFFENSE_GROUPS = ['Persons', 'Property', 'Society', 'Multiple', 'Unknown'] as const
const CATEGORIES = [...BIAS_CATEGORIES, 'Multiple', 'Unknown'] as const

/** The parts of a comma list, each once: a value repeated thousands of times costs nothing. */
const commaList = (text: string) => [...new Set(text.split(',').map((part) => part.trim()).filter(Boolean))]

/** A comma list (or repeated parameter) of allowed values. */
const listOf = <T extends readonly [string, ...string[]]>(values: T) => z.string().transform(commaList).pipe(z.array(z.enum(values)))

/** Longest text a filter parameter may have: every list of allowed values fits well within it. */
const MAX_PARAMETER_LENGTH = 1_000

const year = z.string().regex(/^\d{4}$/, 'a four-digit year').transform(Number)

const FilterSchema = z
  .object({
    year_from: year.optional(),
    year_to: year.optional(),
    bias_category: listOf(CATEGORIES).optional(),
    offense_group: listOf(OFFENSE_GROUPS).optional(),
    district: z
      .string()
      .transform(commaList)
      .pipe(z.array(z.string().regex(/^(10|[1-9])$/, 'a council district from 1 to 10').transform(Number)))
      .optional(),
    source: z
      .string()
      .transform(commaList)
      .pipe(z.array(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a source name (letters, digits, _ . -)')))
      .optional(),
  })
  .strict()
  .refine((f) => f.year_from === undefined || f.year_to === undefined || f.year_from <= f.year_to, {
    message: 'a year no later than year_to',
    path: ['year_from'],
  })

export type Filters = z.infer<typeof FilterSchema>

/** The names of the filter parameters, in the order the page shows them. */
export const FILTER_NAMES = ['year_from', 'year_to', 'bias_category', 'offense_group', 'district', 'source'] as const

/**
 * Validates the filter parameters of a request. Unknown or malformed parameters give an error that
 * says what was expected, which parameter, and what was found.
 *
 * @example
 * parseFilters(new URLSearchParams('year_from=2019&bias_category=Religion'))
 */
export function parseFilters(params: URLSearchParams): { ok: true; filters: Filters } | { ok: false; error: string } {
  // Own properties only: a parameter named __proto__ must be an unknown key, not the object's prototype.
  const raw: Record<string, string> = Object.fromEntries([...new Set(params.keys())].map((key) => [key, params.getAll(key).join(',')]))
  const long = Object.entries(raw).find(([, value]) => value.length > MAX_PARAMETER_LENGTH)
  if (long) return { ok: false, error: `Expected at most ${MAX_PARAMETER_LENGTH} characters for "${long[0].slice(0, 40)}" (got ${long[1].length})` }
  const parsed = FilterSchema.safeParse(raw)
  if (parsed.success) return { ok: true, filters: parsed.data }
  const issue = parsed.error.issues[0]
  if (issue.code === 'unrecognized_keys') {
    return { ok: false, error: `Unknown parameter ${issue.keys.map((k) => `"${k}"`).join(', ')}: expected ${FILTER_NAMES.join(', ')}` }
  }
  const name = String(issue.path[0])
  const expected = issue.code === 'invalid_value' ? `one of ${(issue as { values: unknown[] }).values.join(', ')}` : issue.message
  return { ok: false, error: `Expected ${expected} for "${name}" (got "${raw[name]}")` }
}

/** The SQL condition and its parameters for a set of filters (values are bound, never spliced). */
export function whereClause(filters: Filters): { sql: string; params: (string | number)[] } {
  const parts: string[] = []
  const params: (string | number)[] = []
  const add = (condition: string, values: readonly (string | number)[]) => {
    parts.push(condition)
    params.push(...values)
  }
  const oneOf = (column: string, values: readonly (string | number)[]) => add(`${column} IN (${values.map(() => '?').join(', ')})`, values)
  if (filters.year_from !== undefined) add('year >= ?', [filters.year_from])
  if (filters.year_to !== undefined) add('year <= ?', [filters.year_to])
  if (filters.bias_category?.length) oneOf('bias_category', filters.bias_category)
  if (filters.offense_group?.length) oneOf('offense_group', filters.offense_group)
  if (filters.district?.length) oneOf('council_district', filters.district)
  if (filters.source?.length) oneOf('source', filters.source)
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params }
}
