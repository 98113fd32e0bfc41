// jsdom has no fetch. The hooks under test talk to a real HTTP server, so the page gets Node's own
// fetch — together with Node's AbortController, since Node's fetch accepts only its own signals —
// and the web APIs MSW's handlers need (streams, BroadcastChannel).
const { TestEnvironment } = require('jest-environment-jsdom');

class JsdomWithNodeFetch extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of [
      'fetch',
      'Request',
      'Response',
      'Headers',
      'AbortController',
      'AbortSignal',
      'TextEncoder',
      'TextDecoder',
      'BroadcastChannel',
      'ReadableStream',
      'WritableStream',
      'TransformStream',
      'structuredClone',
    ]) {
      this.global[name] = globalThis[name];
    }
  }
}

module.exports = JsdomWithNodeFetch;
