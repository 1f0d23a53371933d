/**
 * What a store conformance suite asks of a backend: two stores over the same data, standing for two
 * server processes (or machines) with their own connections and caches, and a way to drop the data.
 */
export interface SharedStoreFixture<T> {
  /** The store "process A" uses. */
  readonly store: T;
  /** A second store on the same data ("process B"); its own connection and caches. */
  readonly other: T;
  cleanup(): Promise<void>;
}

export type SharedStoreFactory<T> = () => Promise<SharedStoreFixture<T>>;

/** Runs `body` on a fresh fixture and always cleans up. */
export function withShared<T>(make: SharedStoreFactory<T>, body: (store: T, other: T) => Promise<void>): () => Promise<void> {
  return async () => {
    const fixture = await make();
    try {
      await body(fixture.store, fixture.other);
    } finally {
      await fixture.cleanup();
    }
  };
}
