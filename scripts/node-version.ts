/**
 * The Node.js versions the services run on: those that load an ES module with require() without a flag
 * (20.19 and later 20.x, 22.12 and later). The registries' web framework needs it: fastify's
 * light-my-request requires `cookie` and @fastify/static `content-disposition`, both ES modules only,
 * so on Node 20.18 a registry fails as it loads (ERR_REQUIRE_ESM). package.json's `engines` says the same.
 */
export const SUPPORTED_NODE = '^20.19.0 || >=22.12.0';

/** Why this Node.js cannot run the services, or null when it can. */
export function nodeVersionProblem(version: string = process.versions.node): string | null {
  const [major, minor] = version.split('.').map(Number);
  const supported = major === 20 ? minor >= 19 : major === 22 ? minor >= 12 : major > 22;
  if (supported) return null;
  return `Node.js ${version} cannot run the registries: they need Node.js 20.19 or a later 20.x, or 22.12 or later (${SUPPORTED_NODE}), which load ES modules with require().`;
}
