import { fillPath, serializeQuery } from './query-string';

describe('serializeQuery', () => {
  it('uses form+explode for arrays, deepObject for objects, sorted keys, and skips undefined', () => {
    expect(
      serializeQuery({ tag: ['a', 'b c'], filter: { status: 'open', owner: 'me' }, page: 2, gone: undefined }),
    ).toBe('?filter%5Bowner%5D=me&filter%5Bstatus%5D=open&page=2&tag=a&tag=b%20c');
  });
  it('gives an empty string for no query', () => {
    expect(serializeQuery(undefined)).toBe('');
    expect(serializeQuery({ a: undefined })).toBe('');
  });
});

describe('fillPath', () => {
  it('encodes each value so it cannot change the path', () => {
    expect(fillPath('/todos/{id}', { id: '../admin?x=1' })).toBe('/todos/..%2Fadmin%3Fx%3D1');
  });
  it('names a missing parameter', () => {
    expect(() => fillPath('/todos/{id}', {})).toThrow('missing path parameter "id"');
  });

  it('refuses a value that would change the route: empty, "." or ".." (URL parsers remove or climb such segments)', () => {
    for (const id of ['', '.', '..'])
      expect(() => fillPath('/todos/{id}', { id })).toThrow(/which would change the route/);
    // new URL() resolves both: this is what the refusal prevents
    expect(new URL('http://api.test/todos/..').pathname).toBe('/');
    expect(new URL('http://api.test/todos/%2e%2e').pathname).toBe('/');
    expect(fillPath('/todos/{id}', { id: '...' })).toBe('/todos/...');
    expect(fillPath('/todos/{id}', { id: '%2e%2e' })).toBe('/todos/%252e%252e');
  });
});
