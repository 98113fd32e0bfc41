export default {
  displayName: 'example-web',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.e2e.spec.ts'],
  testTimeout: 120_000,
};
