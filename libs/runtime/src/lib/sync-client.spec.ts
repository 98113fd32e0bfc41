import { shapeHeadersOf, type SyncClientOptions } from './sync-client';

const api = { authorization: 'Bearer for-the-api' };
const of = (options: Omit<SyncClientOptions, 'headers'>) => shapeHeadersOf({ headers: api, ...options });

describe('the headers live models send with shape requests', () => {
  it("are the API's on the API's own origin: its /v1/shape route, or a shapeUrl there", () => {
    expect(of({ baseUrl: 'https://api.example.com/v1' })).toBe(api);
    expect(of({ baseUrl: 'https://api.example.com/v1', shapeUrl: 'https://api.example.com/electric/v1/shape' })).toBe(api);
    expect(of({ baseUrl: '/api', shapeUrl: '/electric/v1/shape' })).toBe(api);
  });

  it('are none on another origin unless shapeHeaders says which', () => {
    expect(of({ baseUrl: 'https://api.example.com', shapeUrl: 'https://electric.example.com/v1/shape' })).toBeUndefined();
    expect(of({ baseUrl: 'https://api.example.com', shapeUrl: 'http://api.example.com/v1/shape' })).toBeUndefined(); // another scheme
    expect(of({ baseUrl: 'https://api.example.com', shapeUrl: 'https://api.example.com:8443/v1/shape' })).toBeUndefined(); // another port
    expect(of({ baseUrl: 'https://api.example.com', shapeUrl: 'https://api.example.com.evil.test/v1/shape' })).toBeUndefined();
    const shapes = { authorization: 'Bearer for-shapes' };
    expect(of({ baseUrl: 'https://api.example.com', shapeUrl: 'https://electric.example.com/v1/shape', shapeHeaders: shapes })).toBe(shapes);
    expect(of({ baseUrl: 'https://api.example.com', shapeHeaders: {} })).toEqual({});
  });
});
