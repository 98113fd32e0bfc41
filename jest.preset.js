// Shared jest settings for every project in the workspace.
// openapi-typescript's CommonJS build requires ESM-only packages; jest's CJS runtime cannot load
// them untransformed, so they (and their nested copies) are let through the ts-jest transform.
const esmOnly = [
  'change-case',
  'parse-json',
  'index-to-position',
  'supports-color',
  'fractional-indexing',
  // MSW's, for the generated testing entries
  'rettime',
  'until-async',
  '@open-draft/deferred-promise',
].join('|');

// The workspace's import aliases (tsconfig.base.json paths), which ts-jest does not resolve itself.
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.base.json');

module.exports = {
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: `${__dirname}/` }),
  testEnvironment: 'node',
  testMatch: ['**/?(*.)+(spec|test).[jt]s?(x)'],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'json'],
  transform: {
    '^.+\\.(ts|tsx|js|mjs)$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  transformIgnorePatterns: [`node_modules/(?!(?:.*node_modules/)?(?:${esmOnly})/)`],
};
