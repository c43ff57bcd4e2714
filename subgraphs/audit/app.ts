import 'reflect-metadata';
import { z } from 'zod';
import { AUDIT_INTAKE_MAX_BYTES, auditEntrySchema } from '../../protocol/audit-entry';
import type { Database } from '../../platform/db/database';
import type { SubgraphDefinition } from '../../platform/server/subgraph-definition';
import { AuditLog, auditMigrations } from './audit-log';
import { Checkpointer, type CheckpointSettings } from './checkpoints';
import { DataAccessRecord, Person, PersonAuditResolver } from './audit.resolver';

export interface AuditServices {
  audit: AuditLog;
}

/** What the gateway sends to /audit/records: the entries of one or more requests. */
const auditBatch = z.object({
  entries: z.array(auditEntrySchema).min(1).max(5000),
});

/**
 * One reader per database, shared by its app's requests: it keeps nothing per request, and one made
 * per request would build a group commit it never uses.
 */
const readers = new WeakMap<Database, AuditLog>();

function readerOf(db: Database): AuditLog {
  let reader = readers.get(db);
  if (!reader) {
    reader = new AuditLog(db, null);
    readers.set(db, reader);
  }
  return reader;
}

/**
 * The audit log of personal data access (issue 5): its own service with its own database, so that the
 * gateway holds no state (several gateways write one chain) and no database of its own. The gateway
 * posts the entries of every request that read protected data to /audit/records (signed like any
 * subgraph request) and answers only once they are committed; Person.dataAccessLog is read through
 * the graph. Owned by oversight; the registries never write here.
 *
 * With `checkpoints` (the audit service's main.ts gives them; tests running it in process may not),
 * the chain's head is signed and written outside the database now and then (checkpoints.ts), so that
 * `npm run audit:verify` finds records cut from its end, an emptied log and an older copy put back.
 */
export function auditSubgraphWith(options: { checkpoints?: CheckpointSettings } = {}): SubgraphDefinition<AuditServices> {
  return {
    name: 'audit',
    resolvers: [PersonAuditResolver],
    orphanedTypes: [Person, DataAccessRecord],
    referenceResolvers: {},
    migrations: auditMigrations,
    createServices: (db) => ({ audit: readerOf(db) }),
    routes(app, { db, secrets }) {
      if (!secrets.auditKey) throw new Error('The audit subgraph needs AUDIT_KEY (a random secret of 32 or more characters, kept apart from its database).');
      const log = new AuditLog(db, secrets.auditKey);
      if (options.checkpoints) {
        const checkpointer = new Checkpointer(db, log, options.checkpoints, {
          onError: (error) => app.log.error(`audit checkpoint not written: ${error.message}`),
        });
        // The database is migrated once the app is built (run-subgraph.ts): the first checkpoint waits for the app to be ready.
        app.addHook('onReady', async () => {
          await checkpointer.start().catch(() => undefined);
        });
        // Before the database closes (its own onClose hook was added earlier and runs later: Fastify runs them in reverse order).
        app.addHook('preClose', async () => {
          await checkpointer.stop();
        });
      }
      // Fastify's default body limit (1 MiB) would refuse a POST of many entries or of one large one.
      app.post('/audit/records', { bodyLimit: AUDIT_INTAKE_MAX_BYTES }, async (request, reply) => {
        const parsed = auditBatch.safeParse(request.body);
        if (!parsed.success) return reply.code(400).send({ error: 'not an audit batch', issues: parsed.error.issues.slice(0, 5) });
        // Each record is stored once per entry id: the same records sent again are taken, not added twice.
        await Promise.all(parsed.data.entries.map((entry) => log.append(entry)));
        return { recorded: parsed.data.entries.length };
      });
    },
  };
}

/** The audit subgraph as the graph's composition and the tests run it: without checkpoints. */
export const auditSubgraph: SubgraphDefinition<AuditServices> = auditSubgraphWith();
