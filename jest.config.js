/** Unit tests sit beside the code (*.spec.ts); black-box tests of the whole graph live in test/ (*.test.ts). */
module.exports = {
  testEnvironment: 'node',
  roots: [
    '<rootDir>/gateway',
    '<rootDir>/subgraphs',
    '<rootDir>/domain',
    '<rootDir>/protocol',
    '<rootDir>/platform',
    '<rootDir>/demo',
    '<rootDir>/test',
    '<rootDir>/scripts',
    '<rootDir>/bench',
    '<rootDir>/dashboard',
  ],
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
  // Starting a whole graph (five registries seeded, the gateway) in a hook takes minutes on a busy two-core
  // machine; a test that hangs still fails, later.
  testTimeout: 180_000,
};
