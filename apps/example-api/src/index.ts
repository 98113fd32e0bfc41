export { buildApp, type AppOptions } from './app';
export { openDatabase, type Database, type DatabaseOptions, type Queryable } from './database';
export { migrate } from './migrate';
export { seed } from './seed';
export { startServer, type RunningServer, type StartOptions } from './server';
export { TXID_HEADER } from './resource';
export { signIn, signUp, startTestServer, type TestServer, type TestSession } from './testing';
