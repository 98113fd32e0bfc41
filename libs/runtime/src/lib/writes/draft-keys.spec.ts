import { draftKey, isDraftKey, rememberSavedKey, savedKeyOf } from './draft-keys';

describe('draft keys', () => {
  it('are of the key kind, new on every call, and never a key a server hands out', () => {
    const integers = [draftKey('integer'), draftKey('integer'), draftKey('number')];
    for (const key of integers) expect(typeof key === 'number' && Number.isInteger(key) && key < 0).toBe(true);
    expect(new Set(integers).size).toBe(3);
    expect(draftKey('uuid')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(draftKey('string')).toMatch(/^draft-[0-9a-f]{16}$/);
    // random, not counted from 1 in each run: a durable outbox holds drafts of earlier runs
    const many = Array.from({ length: 200 }, () => draftKey('integer') as number);
    expect(new Set(many).size).toBe(200);
    for (const key of many) expect(key).toBeGreaterThanOrEqual(-0x7fffffff);
  });

  it('are told apart from keys the app chose, and lead to the key the server saved', () => {
    const draft = draftKey('integer');
    expect(isDraftKey(draft)).toBe(true);
    expect(isDraftKey(7)).toBe(false);
    expect(isDraftKey('draft-1x')).toBe(false);
    expect(savedKeyOf(draft)).toBe(draft);
    rememberSavedKey(draft, 0);
    expect(savedKeyOf(draft)).toBe(0);
    // only drafts are mapped: a key the app chose stays itself
    rememberSavedKey(7, 8);
    expect(savedKeyOf(7)).toBe(7);
  });
});
