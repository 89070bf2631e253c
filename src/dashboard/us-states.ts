import { readFileSync } from 'node:fs'
import { feature } from 'topojson-client'
import type { GeometryCollection, Topology } from 'topojson-specification'
import { stateAbbreviation } from '../population/place-names.ts'

type Position = number[]
type Coordinates = Position | Coordinates[]

/**
 * Whole pixels of the Albers map's 975 x 610: the card draws it at most about 650 pixels wide, so a
 * pixel of the source is under a pixel on screen, and the file is half as large on the wire as with
 * one decimal (15 KB against 29 KB with Brotli).
 */
const rounded = (coordinates: Coordinates): Coordinates =>
  typeof coordinates[0] === 'number' ? (coordinates as Position).map((value) => Math.round(value)) : (coordinates as Coordinates[]).map(rounded)

/**
 * The US states as GeoJSON for the page's map, from the us-atlas package's TopoJSON (Census
 * cartographic boundaries, already projected to Albers USA with Alaska and Hawaii inset, in pixels):
 * each feature keeps the state's name and gains its two-letter `code`, the key the lake's `state`
 * column holds. Made once at start-up.
 *
 * @example
 * const geojson = JSON.parse(usStatesGeoJson().toString()) // 51 features: 50 states and DC
 */
export function usStatesGeoJson(): Buffer {
  const topology = JSON.parse(readFileSync(new URL(import.meta.resolve('us-atlas/states-albers-10m.json')), 'utf8')) as Topology
  const states = feature(topology, topology.objects.states as GeometryCollection<{ name: string }>)
  const features = states.features.map((state) => {
    const code = stateAbbreviation(state.properties.name)
    if (!code) throw new Error(`Expected a state or DC in us-atlas's states (got "${state.properties.name}")`)
    const geometry = state.geometry as { type: string; coordinates: Coordinates }
    return { type: 'Feature', properties: { name: state.properties.name, code }, geometry: { type: geometry.type, coordinates: rounded(geometry.coordinates) } }
  })
  return Buffer.from(JSON.stringify({ type: 'FeatureCollection', features }))
}
