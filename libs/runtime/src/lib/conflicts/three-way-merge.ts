import { sameValue, type MergeRule, type Row } from './conflict-policy';

/**
 * Merges two rows that both moved on from `base`, field by field: a field only one side changed
 * takes that side's value; a field both changed to the same value keeps it; a field both changed
 * differently follows its rule (server by default). Fields of `server` not in the others stay.
 */
export function mergeRows(base: Row, local: Row, server: Row, rules: Readonly<Record<string, MergeRule>> = {}): Row {
  const merged: Row = { ...server };
  for (const name of new Set([...Object.keys(local), ...Object.keys(server)])) {
    const [b, l, s] = [base[name], local[name], server[name]];
    const localChanged = !sameValue(l, b);
    if (!localChanged) continue; // the server's value (changed or not)
    const serverChanged = !sameValue(s, b);
    if (!serverChanged || sameValue(l, s)) {
      merged[name] = l;
      continue;
    }
    const rule = rules[name] ?? 'server';
    if (rule === 'client') merged[name] = l;
    else if (rule === 'union') merged[name] = unionOf(b, l, s);
  }
  return merged;
}

/**
 * Both sides' lists as one: the server's items in its order, then the items only the client
 * added; an item of `base` that either side removed stays removed.
 */
function unionOf(base: unknown, local: unknown, server: unknown): unknown {
  if (!Array.isArray(local) || !Array.isArray(server)) return server;
  const before = Array.isArray(base) ? base : [];
  const has = (list: unknown[], item: unknown) => list.some((other) => sameValue(other, item));
  const removed = before.filter((item) => !has(local, item) || !has(server, item));
  const added = local.filter((item) => !has(server, item) && !has(before, item));
  return [...server, ...added].filter((item) => !has(removed, item));
}
