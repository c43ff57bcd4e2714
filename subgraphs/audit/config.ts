import path from 'node:path';
import { z } from 'zod';
import { ConfigError, parseEnvironment } from '../../platform/config';
import { developmentSecret } from '../../protocol/request-signing';
import { checkpointKeys, checkpointKeysFromSeed, type CheckpointSettings } from './checkpoints';

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

/**
 * The audit service's own settings besides those every subgraph reads (platform/config.ts):
 * its signed checkpoints (checkpoints.ts). Read by the audit service and by `npm run audit:verify`.
 */
export const auditEnvironment = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    DATA_DIR: z.string().min(1).default('./data'),
    /**
     * The Ed25519 private key the checkpoints are signed with (PEM, or the base64 of its PKCS#8 DER),
     * held by the audit service alone. Required in production; in development a key kept under
     * DATA_DIR/keys is used.
     */
    AUDIT_CHECKPOINT_KEY: z.preprocess(emptyAsUndefined, z.string().optional()),
    /** The public half, for a verifier that is not given the private key (audit:verify). */
    AUDIT_CHECKPOINT_PUBLIC_KEY: z.preprocess(emptyAsUndefined, z.string().optional()),
    /**
     * The file the checkpoints are appended to: outside the audit database, best on a volume its
     * administrator cannot write (default DATA_DIR/audit-checkpoints/checkpoints.jsonl).
     */
    AUDIT_CHECKPOINT_PATH: z.preprocess(emptyAsUndefined, z.string().min(1).optional()),
    /** A checkpoint after this many records since the last one. */
    AUDIT_CHECKPOINT_EVERY: z.coerce.number().int().min(1).max(10_000_000).default(1000),
    /** And one this often (seconds) whenever the chain grew since the last one. */
    AUDIT_CHECKPOINT_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
    // Compared with the checkpoint key only: the checkpoint key must be none of these.
    AUDIT_KEY: z.string().optional(),
    REGISTRY_PRIVATE_KEY: z.string().optional(),
    GATEWAY_PRIVATE_KEY: z.string().optional(),
    SUBGRAPH_SIGNING_KEY: z.string().optional(),
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.AUDIT_CHECKPOINT_KEY || env.AUDIT_CHECKPOINT_PUBLIC_KEY, {
    message: "is required in production (the audit checkpoints' Ed25519 private key, held by the audit service alone)",
    path: ['AUDIT_CHECKPOINT_KEY'],
  })
  .refine(
    (env) =>
      !env.AUDIT_CHECKPOINT_KEY ||
      ![env.AUDIT_KEY, env.REGISTRY_PRIVATE_KEY, env.GATEWAY_PRIVATE_KEY, env.SUBGRAPH_SIGNING_KEY].some((other) => other?.trim() === env.AUDIT_CHECKPOINT_KEY!.trim()),
    { message: "must be a key of its own, not the audit chain's, a registry's or the gateway's", path: ['AUDIT_CHECKPOINT_KEY'] },
  );

export type AuditEnvironment = z.infer<typeof auditEnvironment>;

/**
 * The checkpoint settings of an environment; a bad key stops the service with a message naming its
 * variable. `purpose: 'verify'` accepts a public key alone.
 */
export function checkpointSettings(processEnv: NodeJS.ProcessEnv, purpose: 'write' | 'verify' = 'write'): CheckpointSettings {
  const env = parseEnvironment(auditEnvironment, processEnv);
  let keys;
  try {
    keys =
      env.AUDIT_CHECKPOINT_KEY || env.AUDIT_CHECKPOINT_PUBLIC_KEY
        ? checkpointKeys({ privateKey: env.AUDIT_CHECKPOINT_KEY, publicKey: env.AUDIT_CHECKPOINT_PUBLIC_KEY })
        : checkpointKeysFromSeed(developmentSecret(env.DATA_DIR, 'audit-checkpoint.key'));
  } catch (error) {
    const variable = env.AUDIT_CHECKPOINT_KEY ? 'AUDIT_CHECKPOINT_KEY' : 'AUDIT_CHECKPOINT_PUBLIC_KEY';
    throw new ConfigError(`Invalid configuration:\n  ${variable}: is not an Ed25519 key (PEM, or the base64 of its DER): ${(error as Error).message}`);
  }
  if (purpose === 'write' && !keys.privateKey) {
    throw new ConfigError('Invalid configuration:\n  AUDIT_CHECKPOINT_KEY: the audit service signs checkpoints and needs the private key, not only AUDIT_CHECKPOINT_PUBLIC_KEY');
  }
  return {
    file: path.resolve(env.AUDIT_CHECKPOINT_PATH ?? path.join(env.DATA_DIR, 'audit-checkpoints', 'checkpoints.jsonl')),
    keys,
    everyRecords: env.AUDIT_CHECKPOINT_EVERY,
    intervalMs: env.AUDIT_CHECKPOINT_INTERVAL_SECONDS * 1000,
  };
}
