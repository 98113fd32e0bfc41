/**
 * The network of a device process (outbox-device.ts, push-device.ts): Node's fetch with the faults
 * its plan asks for. The shape stream answering late (`shapeLagMs`: writes get ahead of it), writes
 * that cannot reach the API (`writesDown`), and from the n-th write on answers that never come
 * (`hangWritesFrom`: the API did the write, the device never hears of it).
 */
export interface NetworkFaults {
  shapeLagMs?: number;
  writesDown?: boolean;
  hangWritesFrom?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function faultyDeviceNetwork(faults: NetworkFaults): typeof fetch {
  let writesSeen = 0;
  return async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (request.method === 'GET' && url.pathname.endsWith('/v1/shape')) {
      const response = await fetch(request);
      if (faults.shapeLagMs) await sleep(faults.shapeLagMs);
      return response;
    }
    if (request.method !== 'GET') {
      if (faults.writesDown) throw new TypeError('fetch failed');
      writesSeen++;
      if (faults.hangWritesFrom !== undefined && writesSeen >= faults.hangWritesFrom) {
        await fetch(request);
        return new Promise<Response>(() => undefined); // the answer is lost: the API did it
      }
    }
    return fetch(request);
  };
}
