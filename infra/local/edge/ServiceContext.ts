import type { LocalStackConfig } from '../config';
import type { LocalEventBus } from '../events/LocalEventBus';

/** What every local service is built with. */
export interface ServiceContext {
  readonly config: LocalStackConfig;
  /** Directory of this service's own state, inside the data dir (created before the service starts). */
  readonly stateDir: string;
  /** Base URL of the edge endpoint, for services that call a sibling through the SDK (Athena writing results to S3). */
  readonly endpoint: string;
  readonly events: LocalEventBus;
  /** Diagnostics of the stack itself (not request logs). */
  readonly log: (message: string) => void;
}
