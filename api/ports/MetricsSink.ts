/** The metrics the API emits (CloudWatch EMF through Powertools Metrics on AWS). */
export const METRIC_NAMES = {
  CacheHit: 'Count',
  CacheMiss: 'Count',
  CacheJoin: 'Count',
  BytesScanned: 'Bytes',
} as const;
export type MetricName = keyof typeof METRIC_NAMES;

/** Where the query service reports what it did; the handler publishes the figures once per request. */
export interface MetricsSink {
  add(name: MetricName, value: number): void;
}
