import { availableParallelism } from 'node:os'

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: ['TS151001'] } }
    ]
  },
  testMatch: ['**/__tests__/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 60000,
  // Jest's transform cache beside the other tools' caches, not in the temp folder
  cacheDirectory: '<rootDir>/node_modules/.cache/jest',
  // a temp folder for the run, checked empty at the end (scripts/jest-temp-*.mjs)
  globalSetup: '<rootDir>/scripts/jest-temp-setup.mjs',
  globalTeardown: '<rootDir>/scripts/jest-temp-teardown.mjs',
  verbose: false,
  // Most test files wait rather than compute (subprocesses, loopback servers, the bundled action
  // run as a runner does): on 2 cores Jest's default (cores - 1 = one worker) took ~7 min, two
  // workers ~4 min, four ~2.5 min, with the CPU still not saturated. So at least four.
  maxWorkers: Math.max(4, availableParallelism()),
  // Jest's own report, then one line counting the tests (scripts/jest-count-reporter.mjs)
  reporters: ['default', '<rootDir>/scripts/jest-count-reporter.mjs']
}
