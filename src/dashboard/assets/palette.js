// One colour per category, the same on every chart whatever the filters: a category never changes
// colour because another one dropped out of view. Every colour has a contrast of at least 3:1 on the
// white card (the minimum for graphics) and each differs from the ones it is stacked or listed beside
// also as seen with red-green colour blindness (test/unit/dashboard-palette.test.ts checks both).

/** The card background the colours are drawn on. */
export const BACKGROUND = '#ffffff'

export const COLOURS = {
  // FBI bias categories, in the order the charts stack them.
  'Race/Ethnicity/Ancestry': '#0072B2',
  Religion: '#C2410C',
  'Sexual Orientation': '#332288',
  Disability: '#117733',
  Gender: '#AA3377',
  'Gender Identity': '#9A6700',
  Multiple: '#4B5563',
  Unknown: '#858585',
  // NIBRS crimes against.
  Persons: '#0072B2',
  Property: '#C2410C',
  Society: '#332288',
  // Offender ethnicity.
  'Hispanic or Latino': '#0072B2',
  'Not Hispanic or Latino': '#C2410C',
}

/** The order categories appear in legends and stacks, so neighbours are the pairs the test checks. */
export const ORDERS = {
  bias_category: ['Race/Ethnicity/Ancestry', 'Religion', 'Sexual Orientation', 'Disability', 'Gender', 'Gender Identity', 'Multiple', 'Unknown'],
  against: ['Persons', 'Property', 'Society', 'Unknown'],
  ethnicity: ['Hispanic or Latino', 'Not Hispanic or Latino', 'Multiple', 'Unknown'],
}

/** Single series and second series (a change, a rolling sum, under-18 victims). */
export const MAIN = '#1D4ED8'
export const SECOND = '#C2410C'

/** A category's colour; one not listed (a new value in the source) gets the Unknown grey. */
export const colourOf = (name) => COLOURS[name] ?? COLOURS.Unknown

/** `names` in their fixed order, any not listed at the end in the order given. */
export function ordered(kind, names) {
  const order = ORDERS[kind]
  return [...names].sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99))
}

/** Places compared on one chart, in the order chosen: the bias categories' colours in their order, whose neighbours the test checks. */
export const PLACE_COLOURS = ORDERS.bias_category.map(colourOf)
