import { test } from 'node:test'
import assert from 'node:assert/strict'

const { BACKGROUND, COLOURS, MAIN, ORDERS, SECOND } = (await import(new URL('../../src/dashboard/assets/palette.js', import.meta.url).href)) as {
  BACKGROUND: string
  COLOURS: Record<string, string>
  MAIN: string
  ORDERS: Record<string, string[]>
  SECOND: string
}

type Rgb = [number, number, number]
const linear = (hex: string): Rgb =>
  [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as Rgb
const luminance = ([r, g, b]: Rgb) => 0.2126 * r + 0.7152 * g + 0.0722 * b
/** WCAG contrast ratio. */
const contrast = (a: string, b: string) => {
  const [x, y] = [luminance(linear(a)), luminance(linear(b))].sort((p, q) => q - p)
  return (x + 0.05) / (y + 0.05)
}
/** Machado, Oliveira and Fernandes (2009), full severity, on linear RGB. */
const VISION: Record<string, number[][] | null> = {
  normal: null,
  protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
  deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]],
}
const see = (rgb: Rgb, m: number[][] | null): Rgb => (m ? (m.map((row) => Math.max(0, Math.min(1, row[0] * rgb[0] + row[1] * rgb[1] + row[2] * rgb[2]))) as Rgb) : rgb)
/** CIE L*a*b* (D65) of a linear RGB colour. */
function lab([r, g, b]: Rgb): Rgb {
  const xyz = [(0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b, (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883]
  const [fx, fy, fz] = xyz.map((t) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116))
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)]
}
const distance = (a: string, b: string, m: number[][] | null) => {
  const [p, q] = [lab(see(linear(a), m)), lab(see(linear(b), m))]
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2])
}

test('every chart colour stands out from the card at 3:1 or more (graphics contrast minimum)', () => {
  for (const [name, colour] of Object.entries({ ...COLOURS, MAIN, SECOND })) {
    assert.ok(contrast(colour, BACKGROUND) >= 3, `${name} ${colour}: ${contrast(colour, BACKGROUND).toFixed(2)}:1`)
  }
})

test('categories drawn side by side differ clearly, also with protanopia and deuteranopia', () => {
  const pairs: [string, string][] = [[MAIN, SECOND]]
  for (const order of Object.values(ORDERS)) for (let i = 1; i < order.length; i++) pairs.push([COLOURS[order[i - 1]], COLOURS[order[i]]])
  for (const [vision, matrix] of Object.entries(VISION)) {
    for (const [a, b] of pairs) {
      const d = distance(a, b, matrix)
      assert.ok(d >= 20, `${a} beside ${b} for ${vision}: a colour difference (CIE76) of ${d.toFixed(1)}, expected at least 20`)
    }
  }
})

test('a category keeps its colour: the palette maps names, not positions', () => {
  assert.equal(new Set(ORDERS.bias_category.map((name) => COLOURS[name])).size, ORDERS.bias_category.length, 'eight categories, eight colours')
})
