/** Unit tests sit beside the code (*.spec.ts); black-box tests of the whole graph live in test/ (*.test.ts). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/gateway', '<rootDir>/subgraphs', '<rootDir>/platform', '<rootDir>/test', '<rootDir>/scripts', '<rootDir>/bench'],
  testMatch: ['**/*.spec.ts', '**/*.test.ts'],
  transform: {
    // Type checking runs once for the whole project (`npm run typecheck`); here ts-jest only transpiles
    // (isolatedModules in tsconfig.json).
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  // Jest 29 (jest 30's resolver has platform packages this registry lacks, which breaks `npm ci`)
  // cannot require packages published as ES modules only, and --experimental-vm-modules, which PGlite
  // needs, makes it refuse them even when transformed. Two such packages are only loaded, not used, by
  // the code under test (@fastify/static's downloads, light-my-request's Set-Cookie): their last
  // CommonJS releases stand in for them in tests, installed under aliases. The product keeps the real ones.
  moduleNameMapper: {
    '^content-disposition$': 'content-disposition-cjs',
    '^cookie$': 'cookie-cjs',
  },
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
  setupFiles: ['reflect-metadata'],
  testTimeout: 60000,
};
