/** Unit tests sit beside the code (*.spec.ts); black-box tests of the whole graph live in test/ (*.test.ts). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/gateway', '<rootDir>/subgraphs', '<rootDir>/test', '<rootDir>/scripts'],
  testMatch: ['**/*.spec.ts', '**/*.test.ts'],
  transform: {
    // Type checking runs once for the whole project (`npm run typecheck`); here ts-jest only transpiles
    // (isolatedModules in tsconfig.json).
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
    // ESM-only dependencies (content-disposition and cookie, pulled in by mercurius and fastify's
    // inject) become CommonJS for jest.
    '^.+\\.js$': ['ts-jest', { diagnostics: false, tsconfig: { allowJs: true, isolatedModules: true } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition|cookie)/)'],
  setupFiles: ['reflect-metadata'],
  testTimeout: 60000,
};
