/**
 * Node's fetch with a gate in front of writes: while the gate is closed, POST/PATCH/DELETE wait
 * before they reach the server, so a test can look at the optimistic state first. Reads pass.
 */
export function gatedFetch() {
  let gate: Promise<void> | undefined;
  let open = () => undefined as void;
  let waiting = 0;
  const fetchThroughGate: typeof fetch = async (input, init) => {
    const method = (init?.method ?? 'GET').toUpperCase();
    if (gate && method !== 'GET') {
      waiting++;
      await gate;
      waiting--;
    }
    return fetch(input, init);
  };
  return {
    fetch: fetchThroughGate,
    close() {
      gate = new Promise<void>((resolve) => (open = resolve));
    },
    open() {
      gate = undefined;
      open();
    },
    get waiting() {
      return waiting;
    },
  };
}
