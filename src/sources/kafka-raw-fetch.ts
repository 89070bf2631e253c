import type { Buffer } from 'node:buffer'
import { createAPI, fetchV13, NetworkError, readKnownTaggedFields, ResponseError, type Reader } from '@platformatic/kafka'
import type { IngestConsumer } from './kafka-consumer.ts'
import type { AbortedTransaction } from './kafka-record-batches.ts'

/** One partition of a fetch answer, its records left as the bytes the broker sent. */
export interface RawFetchedPartition {
  partitionIndex: number
  /** Where the partition's log ends for a read_committed reader (its last stable offset) when the broker answered. */
  lastStableOffset: bigint
  abortedTransactions: AbortedTransaction[]
  records: Buffer | null
}

export interface RawFetchResponse {
  responses: { topicId: string; partitions: RawFetchedPartition[] }[]
}

/** What one fetch asks of a leader: Fetch v13's fields (topics by id). */
export interface RawFetchRequest {
  maxWaitMs: number
  minBytes: number
  maxBytes: number
  isolationLevel: number
  topics: { topicId: string; partitions: { partition: number; currentLeaderEpoch: number; fetchOffset: bigint; lastFetchedEpoch: number; partitionMaxBytes: number }[] }[]
}

/**
 * Fetch v13's answer read as the client reads it, except the records: they stay bytes, for the
 * ingest to walk without an object per record (kafka-record-batches.ts). Partition errors fail the
 * answer as the client's own fetch does (a ResponseError naming them).
 */
function parseResponse(_correlationId: number, apiKey: number, apiVersion: number, reader: Reader): RawFetchResponse {
  const errors: [string, [number, null]][] = []
  reader.readInt32()
  const errorCode = reader.readInt16()
  if (errorCode) errors.push(['/', [errorCode, null]])
  reader.readInt32()
  const responses = reader.readArray((r, i) => ({
    topicId: r.readUUID(),
    partitions: r.readArray((r, j) => {
      const partitionIndex = r.readInt32()
      const partitionError = r.readInt16()
      if (partitionError) errors.push([`/responses/${i}/partitions/${j}`, [partitionError, null]])
      r.skip(8)
      const lastStableOffset = r.readInt64()
      r.skip(8)
      const abortedTransactions = r.readNullableArray((r) => ({ producerId: r.readInt64(), firstOffset: r.readInt64() })) ?? []
      r.readInt32()
      const size = r.readUnsignedVarInt() - 1
      const records = size > 0 ? r.buffer.slice(r.position, r.position + size) : null
      if (size > 0) r.skip(size)
      readKnownTaggedFields(r, {})
      return { partitionIndex, lastStableOffset, abortedTransactions, records }
    }, true, false),
  }))
  readKnownTaggedFields(reader, {})
  const response = { responses }
  if (errors.length) throw new ResponseError(apiKey, apiVersion, Object.fromEntries(errors), response)
  return response
}

const FETCH = 1
const rawFetchV13 = createAPI<Parameters<typeof fetchV13.createRequest>, RawFetchResponse>(FETCH, 13, fetchV13.createRequest, parseResponse)

/**
 * Sends a fetch to broker `node` on the client's connection and answers with the records as bytes.
 * One attempt: the fetcher (kafka-fetcher.ts) decides what to try again, with fresh metadata.
 *
 * @example
 * const answer = await fetchRaw(client, 1, { maxWaitMs: 500, minBytes: 1, maxBytes: 65536, isolationLevel: 1, topics })
 */
export async function fetchRaw(client: IngestConsumer, node: number, request: RawFetchRequest): Promise<RawFetchResponse> {
  const connection = (await client.connectToBrokers([node])).get(node)
  if (!connection) throw new NetworkError(`Expected a connection to broker ${node} (it is not in the cluster metadata)`)
  const { maxWaitMs, minBytes, maxBytes, isolationLevel, topics } = request
  return rawFetchV13.async(connection, maxWaitMs, minBytes, maxBytes, isolationLevel, 0, -1, topics, [], '')
}

/** Whether every error in the chain is one the Kafka client would retry (a broker restarting, a leader moving). */
export function retryable(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const own = (error as { canRetry?: boolean }).canRetry
  if (own === false || (own === undefined && !('errors' in error))) return false
  return ((error as { errors?: unknown[] }).errors ?? []).every(retryable)
}
