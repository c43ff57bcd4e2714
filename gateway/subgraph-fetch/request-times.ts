import type { ApolloServerPlugin } from '@apollo/server';

/**
 * When each request was admitted, by its context object: a read may be answered only from a
 * registry's state after then (a cache hit a probe since confirms, or a fetch sent since), so that it
 * sees every write answered before the caller sent it. A write moves its request's time to when it
 * was answered, so that the request's later reads see it too.
 */
export class RequestTimes {
  private readonly admitted = new WeakMap<object, number>();

  /** Stamps every request as it starts, after the HTTP edge has admitted it. */
  readonly plugin: ApolloServerPlugin = {
    requestDidStart: async ({ contextValue }) => {
      this.admit(contextValue);
    },
  };

  admit(context: object, at = performance.now()): void {
    this.admitted.set(context, at);
  }

  /** When the request was admitted (performance.now()); now for one never stamped. */
  since(context: object | undefined): number {
    return (context && this.admitted.get(context)) ?? performance.now();
  }

  /** A write of the request was answered. */
  wrote(context: object | undefined): void {
    if (context) this.admit(context);
  }

  /** The context admitted last: a fetch joining several requests is as recent as the latest of them. */
  latest<Context extends object>(contexts: readonly Context[]): Context {
    return contexts.reduce((latest, context) => (this.since(context) > this.since(latest) ? context : latest));
  }
}
