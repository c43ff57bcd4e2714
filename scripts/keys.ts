import { SUBGRAPHS } from '../subgraphs';
import { encodeKey, newSigningKeyPair } from '../protocol/request-signing';

/**
 * `npm run -s keys`: new Ed25519 key pairs for subgraph trust, as environment lines (one line of
 * base64 each, as docker compose's .env holds them): the gateway's, whose private half goes to the
 * gateway alone and whose public half to every registry and the audit log; and one per registry that
 * calls the graph (applications, payments, permits), whose private half is that registry's
 * REGISTRY_PRIVATE_KEY and whose public half goes to the gateway. Compose maps them onto each
 * service's variables (docker-compose.yml). Keep the private keys out of version control.
 */
function main(): void {
  const gateway = newSigningKeyPair();
  const lines = [
    '# The gateway signs every request to a registry and to the audit log (GATEWAY_PRIVATE_KEY, gateway only).',
    `GATEWAY_PRIVATE_KEY=${encodeKey(gateway.privateKey)}`,
    '# Every registry and the audit log check those signatures with it.',
    `GATEWAY_PUBLIC_KEY=${encodeKey(gateway.publicKey)}`,
  ];
  for (const definition of SUBGRAPHS.filter((candidate) => candidate.callsGraph)) {
    const pair = newSigningKeyPair();
    const name = definition.name.toUpperCase();
    lines.push(
      `# The ${definition.name} registry's own key (its REGISTRY_PRIVATE_KEY), and its public half for the gateway.`,
      `${name}_PRIVATE_KEY=${encodeKey(pair.privateKey)}`,
      `${name}_PUBLIC_KEY=${encodeKey(pair.publicKey)}`,
    );
  }
  console.log(lines.join('\n'));
}

main();
