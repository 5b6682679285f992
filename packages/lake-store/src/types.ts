/** @module What a lake store is: the `LakeStore` interface, its options and the shapes it answers with. */

export interface LakeStoreOptions {
  /** `https://s3.<region>.amazonaws.com` on AWS; `http://127.0.0.1:PORT` for a local S3 server. */
  endpoint: string
  bucket: string
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
  region?: string
  /** Path-style (`endpoint/bucket/key`) or virtual-hosted (`bucket.endpoint/key`); auto: virtual on amazonaws.com. */
  style?: 'auto' | 'path' | 'virtual'
  fetch?: typeof fetch
  /** Retries of transient failures (5xx, 429, network, timeout) for each request. */
  retries?: number
  timeoutMs?: number
  sleep?: (ms: number) => Promise<void>
}

export interface ObjectInfo {
  key: string
  size: number
  etag?: string
}

/** What hyparquet's readers take: random access to an object by byte range (`end` exclusive, default the end). */
export interface AsyncBuffer {
  byteLength: number
  slice(start: number, end?: number): Promise<ArrayBuffer>
}

/**
 * The lake bucket's objects, by key (`raw/...`, `tables/...`; no leading slash). Every method signs its
 * request with SigV4 and retries transient failures (5xx, 429, 408, timeouts, network errors) `retries`
 * times with exponential backoff before it throws.
 *
 * Errors: `S3Error { status, code, transient }` with the bucket and key in its message, never a credential.
 * A missing object is `null` (or a no-op for deletes), not an error; a missing bucket is
 * (`404 NoSuchBucket`), so a wrong `S3_BUCKET` never reads as an empty lake. An IAM denial is `403
 * AccessDenied`; a lost connection after the retries is status 0, code `NetworkError`, `transient: true`.
 */
export interface LakeStore {
  readonly bucket: string
  /** PUT bytes or a UTF-8 string (default `application/octet-stream`). */
  put(key: string, body: Uint8Array | string, options?: { contentType?: string }): Promise<void>
  /** The object's bytes; `null` when the object does not exist. */
  get(key: string): Promise<Uint8Array | null>
  /**
   * Bytes `start` (inclusive) to `end` (exclusive, like `Array.prototype.slice`), so `end - start` bytes.
   * @throws S3Error `404 NoSuchKey` when the object does not exist, `416` for a range past its end
   */
  getRange(key: string, start: number, end: number): Promise<Uint8Array>
  /** `{ key, size (bytes), etag }`, or `null` when the object does not exist. */
  head(key: string): Promise<ObjectInfo | null>
  /** The object parsed as JSON, or `null` when it does not exist; throws `SyntaxError` for bad JSON. */
  getJson<T = unknown>(key: string): Promise<T | null>
  /** Writes `value` as pretty-printed JSON (`application/json`). */
  putJson(key: string, value: unknown): Promise<void>
  /** A gzip'd JSON object (the raw zone), or `null` when it does not exist. */
  getGzipJson<T = unknown>(key: string): Promise<T | null>
  /** Writes `value` as gzip'd JSON (`application/gzip`, no `Content-Encoding`); returns the stored size in bytes. */
  putGzipJson(key: string, value: unknown): Promise<number>
  /** Every object under `prefix` (ListObjectsV2, following continuation tokens), in key order. */
  list(prefix: string): AsyncIterable<ObjectInfo>
  /** The keys of `list(prefix)`, collected. */
  listKeys(prefix: string): Promise<string[]>
  /** Deletes one object; deleting a missing one is no error. */
  delete(key: string): Promise<void>
  /** Deletes every key, `concurrency` (default 8) at a time; the first failure rejects. */
  deleteMany(keys: readonly string[], options?: { concurrency?: number }): Promise<void>
  /**
   * Random access for hyparquet's readers: `byteLength` from a HEAD, `slice(start, end?)` end-exclusive.
   * @throws S3Error `404 NoSuchKey` when the object does not exist
   */
  asyncBuffer(key: string): Promise<AsyncBuffer>
}
