import { randomUUID } from 'node:crypto';

/** An event in EventBridge's envelope, as a rule target (a Lambda) receives it on AWS. */
export interface LocalEvent<TDetail = unknown> {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: TDetail;
}

/** The subset of EventBridge event patterns the project uses: exact matches on source and detail-type. */
export interface LocalEventPattern {
  readonly source?: readonly string[];
  readonly detailType?: readonly string[];
}

export type LocalEventHandler<TDetail = unknown> = (event: LocalEvent<TDetail>) => Promise<void> | void;

/**
 * In-process stand-in for EventBridge rules: services publish, handlers subscribe with a pattern.
 * Delivery is asynchronous (never inside the publishing request) and a failing handler is reported, not
 * propagated, as with an asynchronous Lambda invocation. `drain()` waits until every delivery has settled.
 */
export class LocalEventBus {
  private readonly subscriptions = new Set<{ pattern: LocalEventPattern; handler: LocalEventHandler }>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly origin: { account: string; region: string },
    private readonly onHandlerError: (err: unknown, event: LocalEvent) => void = (err) =>
      console.error('event handler failed:', err),
  ) {}

  /** Registers a handler; returns a function that removes it. */
  subscribe<TDetail>(pattern: LocalEventPattern, handler: LocalEventHandler<TDetail>): () => void {
    const subscription = { pattern, handler: handler as LocalEventHandler };
    this.subscriptions.add(subscription);
    return () => this.subscriptions.delete(subscription);
  }

  publish<TDetail>(
    source: string,
    detailType: string,
    detail: TDetail,
    resources: readonly string[] = [],
  ): LocalEvent<TDetail> {
    const event: LocalEvent<TDetail> = {
      version: '0',
      id: randomUUID(),
      'detail-type': detailType,
      source,
      account: this.origin.account,
      time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.origin.region,
      resources,
      detail,
    };
    for (const { pattern, handler } of this.subscriptions) {
      if (!matches(pattern, event)) continue;
      const delivery = Promise.resolve()
        .then(() => handler(event))
        .catch((err) => this.onHandlerError(err, event))
        .finally(() => this.inFlight.delete(delivery));
      this.inFlight.add(delivery);
    }
    return event;
  }

  /** Resolves when every delivery started so far, and any they started in turn, has settled. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}

function matches(pattern: LocalEventPattern, event: LocalEvent): boolean {
  if (pattern.source && !pattern.source.includes(event.source)) return false;
  if (pattern.detailType && !pattern.detailType.includes(event['detail-type'])) return false;
  return true;
}
