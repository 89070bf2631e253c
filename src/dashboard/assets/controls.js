// The filter controls: two year choices and a list of check boxes per listed filter (several values
// at once, as the API takes lists). The URL holds the chosen filters, so a link reproduces the view.
const form = document.querySelector('#filters')
export const LISTS = ['bias_category', 'offense_group', 'district', 'source']
const YEARS = ['year_from', 'year_to']

/** Fills a filter's check boxes (kept checked when they were) and its summary. */
export function fillChoices(name, values, labels = {}) {
  const box = form.querySelector(`[data-filter="${name}"] .choices`)
  const checked = new Set(chosen(name))
  box.replaceChildren(...values.map((value) => {
    const label = document.createElement('label')
    const input = Object.assign(document.createElement('input'), { type: 'checkbox', name, value, checked: checked.has(value) })
    label.append(input, ` ${labels[value] ?? value}`)
    return label
  }))
  summarise(name)
}

const chosen = (name) => [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((input) => input.value)

/** "All", the one value, or "3 chosen" on the closed control. */
export function summarise(name) {
  const values = chosen(name)
  form.querySelector(`[data-filter="${name}"] .chosen`).textContent = values.length === 0 ? 'All' : values.length === 1 ? values[0] : `${values.length} chosen`
}

/** Year choices from the lake's range, keeping the current choice (the lake may grow a year). */
export function fillYears(years) {
  if (!years) return
  for (const name of YEARS) {
    const select = form.elements[name]
    const current = select.value
    select.replaceChildren(new Option(name === 'year_from' ? 'first' : 'last', ''))
    for (let year = years[0]; year <= years[1]; year++) select.add(new Option(String(year), String(year)))
    if (current && !select.querySelector(`option[value="${CSS.escape(current)}"]`)) select.add(new Option(current, current))
    select.value = current
  }
}

/** The filters as URL parameters. */
export function query() {
  const params = new URLSearchParams()
  for (const name of YEARS) if (form.elements[name].value) params.set(name, form.elements[name].value)
  for (const name of LISTS) if (chosen(name).length) params.set(name, chosen(name).join(','))
  return params
}

/** Sets the controls from URL parameters (a shared link), before or after the choices exist. */
export function apply(params) {
  for (const name of YEARS) {
    const select = form.elements[name]
    const value = params.get(name) ?? ''
    if (value && !select.querySelector(`option[value="${CSS.escape(value)}"]`)) select.add(new Option(value, value))
    select.value = value
  }
  for (const name of LISTS) {
    const wanted = new Set(params.getAll(name).flatMap((v) => v.split(',')).filter(Boolean))
    for (const input of form.querySelectorAll(`input[name="${name}"]`)) input.checked = wanted.has(input.value)
    summarise(name)
  }
}

/** A reversed year range in words, or null when the range is fine. */
export function rangeProblem() {
  const [from, to] = YEARS.map((name) => form.elements[name].value)
  return from && to && Number(from) > Number(to) ? `"From" ${from} is after "To" ${to}: choose a From year no later than the To year.` : null
}

/** Clears every filter (the form's own reset would bring back a shared link's choices). */
export const clear = () => apply(new URLSearchParams())
