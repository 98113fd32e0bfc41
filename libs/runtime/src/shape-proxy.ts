// `@sync-patterns/runtime/shape-proxy`: server-side code, kept apart from the client entries — the
// shape proxy that pins what each user reads of live models' shapes, and its Node adapter.
export * from './lib/shape-proxy/shape-policy';
export * from './lib/shape-proxy/shape-proxy';
export * from './lib/shape-proxy/node-handler';
