// `@sync-patterns/runtime/live`: what generated live-mode code imports, kept apart from the main
// entry so push-only apps do not need TanStack DB or the Electric client.
export * from './lib/live/live-collection';
export * from './lib/live/collection-ready';
export * from './lib/live/live-result';
export * from './lib/live/txid';
export * from './lib/live/where-params';
export * from './lib/status/live-status';
export * from './lib/status/live-scope';
export * from './lib/react/use-live-status';
export * from './lib/react/live-rows';
export * from './lib/react/live-mutations';
export * from './lib/mock/fake-shape';
export * from './lib/operations/optimistic-live';
export * from './lib/transactions/live-writes';
