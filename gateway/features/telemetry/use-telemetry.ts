import type { ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode } from 'graphql';
import { annotateRequest, linkTrace, requestSpan } from '../../../platform/telemetry/http-server';
import { sanitizedDocument } from '../../../platform/telemetry/spans';
import { telemetry } from '../../../platform/telemetry/telemetry';
import { requestLogFields, type GatewayContext } from '../../http/context';
import type { Admission } from '../admission/admission';
import type { DurableAuditSink } from '../audit/audit-outbox';
import type { GatewayFeature } from '../feature';

/** The label of a named operation that is not a committed one. */
export const OTHER_OPERATION = 'other';

/** Sanitized documents cached, by the document object Apollo parsed (and caches) once per text. */
const documents = new WeakMap<DocumentNode, string>();

/**
 * What operators see of the gateway's requests: each request's span and duration named by its
 * operation (`graphql.operation.name`, `graphql.operation.type`, and, when spans are recorded, the
 * document with every literal value taken out), errors counted by code (`dmx.graphql.errors`), and
 * the admission queue and the audit outbox read at each scrape; and a debug log line per request. The HTTP server span itself is the
 * server's (platform/telemetry/http-server.ts), the fetches' the data source's.
 */
export function useTelemetry(options: {
  admission?: Admission;
  audit?: DurableAuditSink;
  /** The committed operation a document is (persisted operations), if any. */
  committedName: (document: DocumentNode) => string | undefined;
}): GatewayFeature {
  const { enabled, tracing, meter } = telemetry();
  // A metric's label and a log line name the committed operation a request is, or say `other`: a name a
  // caller chose would make a series of its own for each new name (and could carry anything), and a
  // document named like a committed operation would be counted as it. Spans keep the caller's name.
  const label = (name: string | null | undefined, document: DocumentNode | undefined) =>
    name ? ((document && options.committedName(document)) ?? OTHER_OPERATION) : null;
  const logPlugin: ApolloServerPlugin<GatewayContext> = {
    // One debug line per request: its id, operation, status and error codes; never variables, values or messages.
    async requestDidStart({ logger }) {
      // Built only for a logger that will write it (the service's pino at debug level).
      if (!(logger as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled?.('debug')) return;
      const started = performance.now();
      return {
        async willSendResponse({ response, contextValue, operationName, operation, document }) {
          const sent = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          (logger.debug as (line: unknown) => void)({
            msg: 'request answered',
            ...requestLogFields(contextValue),
            agency: contextValue.claims?.agency ?? null,
            operation: label(operationName, document),
            type: operation?.operation ?? null,
            status: response.http.status ?? 200,
            errors: sent?.map((error) => error.extensions?.code ?? 'INTERNAL_SERVER_ERROR') ?? [],
            ms: Math.round(performance.now() - started),
          });
        },
      };
    },
  };
  if (!enabled) return { name: 'telemetry', apolloPlugins: [logPlugin] };
  const errors = meter.createCounter('dmx.graphql.errors', { unit: '{error}', description: 'Errors sent to callers, by code.' });
  const { admission, audit } = options;
  if (admission) {
    meter.createObservableGauge('dmx.admission.queue.length', { unit: '{request}', description: 'Requests waiting for an admission slot.' }).addCallback((result) => result.observe(admission.stats.waiting));
    meter.createObservableCounter('dmx.admission.refusals', { unit: '{request}', description: 'Requests refused with 503 SERVER_BUSY.' }).addCallback((result) => result.observe(admission.stats.refused));
  }
  if (audit) {
    meter.createObservableGauge('dmx.audit.outbox.pending', { unit: '{record}', description: 'Outcome records waiting in the audit outbox to be sent again.' }).addCallback((result) => result.observe(audit.pending()));
  }

  const plugin: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart({ request, contextValue }) {
      // The operation's context (Apollo's copy of the one the context function made) finds the request's trace from here on.
      if (request.http) linkTrace(request.http, contextValue);
      let operationName: string | undefined;
      return {
        async didResolveOperation({ operation, operationName: name, document, contextValue }) {
          operationName = label(name, document) ?? undefined;
          annotateRequest(
            contextValue,
            { ...(operation ? { 'graphql.operation.type': operation.operation } : {}), ...(operationName ? { 'graphql.operation.name': operationName } : {}) },
            name ? { 'graphql.operation.name': name } : undefined,
          );
          // Only for a span that is kept: a trace the sampler left out costs no printing.
          const span = tracing ? requestSpan(contextValue) : undefined;
          if (span?.isRecording()) {
            let printed = documents.get(document);
            if (printed === undefined) documents.set(document, (printed = sanitizedDocument(document)));
            span.setAttribute('graphql.document', printed);
          }
        },
        async willSendResponse({ response, contextValue }) {
          const sent = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          if (!sent?.length) return;
          const codes = sent.map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
          for (const code of codes) errors.add(1, { 'error.type': code, ...(operationName ? { 'graphql.operation.name': operationName } : {}) });
          annotateRequest(contextValue, { 'error.type': codes[0] });
        },
      };
    },
  };
  return { name: 'telemetry', apolloPlugins: [plugin, logPlugin] };
}
