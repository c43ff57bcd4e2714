import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { parse, parseAllDocuments } from 'yaml';
import { gatewayEnvironment } from '../gateway/config';
import { GRAPHQL_PATHS, HEALTH_PATH, INSTANCE_READY_PATH, READY_PATH } from '../gateway/http/server';
import { GATEWAY_NODE_FLAGS } from '../gateway/node-flags';
import { METRIC_ATTRIBUTES } from '../platform/telemetry/metric-attributes';
import { METRICS, prometheusSeries, type MetricKey } from '../platform/telemetry/metric-names';
import { SUBGRAPHS } from '../subgraphs';
import { samplerFromEnvironment } from '../platform/telemetry/telemetry';
import { parseEnvironment, subgraphEnvironment } from '../platform/config';
import { openDatabase } from '../platform/db/database';
import { migrate } from '../platform/db/migrate';
import { encodeKey, newSigningKeyPair } from '../protocol/request-signing';
import { deployedTraceSampling, SCRAPE_INTERVAL_MS } from '../bench/environments';
import { createSubgraphApp } from '../platform/server/subgraph-app';
import { DEFAULT_OPS_PORTS, DEFAULT_SUBGRAPH_PORTS, SUBGRAPH_NAMES, type SubgraphName } from '../protocol/registries';

/**
 * The deployment files (docker-compose.yml, deploy/: nginx, Prometheus, the collector, Grafana,
 * Kubernetes) cannot be run here: no Docker engine, no cluster. They are kept honest by reading them
 * against the code: the ports and paths the services serve, the entry points the build produces, the
 * environments the services accept, and the metric series the code exports.
 */
const root = path.resolve(__dirname, '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/** The gateway's operations listener when OPS_PORT names none (the registries' are DEFAULT_OPS_PORTS). */
const GATEWAY_OPS_PORT = 9464;
const GATEWAY_PORT = 4000;

interface ComposeService {
  build?: string;
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, unknown> | string[];
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> };
const services = compose.services;
const ours = Object.keys(services).filter((name) => services[name].build === '.');
const gateways = ours.filter((name) => services[name].command?.includes('dist/gateway/main.js'));

/** What the build compiles (tsconfig.build.json and everything it imports), as paths from the root. */
const built = (() => {
  const config = ts.readConfigFile(path.join(root, 'tsconfig.build.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: { ...parsed.options, noResolve: false } });
  return program
    .getSourceFiles()
    .map((file) => path.relative(root, file.fileName))
    .filter((file) => !file.startsWith('node_modules') && !file.startsWith('..') && !file.endsWith('.d.ts'));
})();

/** The entry point a command runs, as the build's output (dist/<source>.js), checked against what the build compiles. */
function expectBuiltEntryPoint(command: string[]): void {
  const entry = command.find((part) => part.startsWith('dist/'));
  expect(entry).toBeDefined();
  expect(built).toContain(entry!.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
}

/** The path a compose healthcheck asks for, and the port. */
function healthcheckTarget(service: ComposeService): { path: string; port: string } {
  const command = service.healthcheck!.test.join(' ');
  const url = /http:\/\/127\.0\.0\.1:(?:(\d+)|' \+ process\.env\.(\w+) \+ ')(\/[\w/.-]*)/.exec(command);
  expect(url).not.toBeNull();
  const [, port, variable, route] = url!;
  return { path: route, port: port ?? service.environment![variable] };
}

// --- The series the code exports, and the PromQL that reads them ---------------------------------------

const SERIES = new Map<string, MetricKey>(
  (Object.keys(METRICS) as MetricKey[]).flatMap((key) => prometheusSeries(METRICS[key]).map((series) => [series, key] as const)),
);
/** Series Prometheus makes itself, which the alert rules may read. */
const PROMETHEUS_OWN = new Set(['up']);
/** Labels Prometheus adds to every series it scrapes, and the bucket bound. */
const TARGET_LABELS = new Set(['job', 'instance', 'le']);
const PROMQL_WORDS = new Set([
  'sum', 'min', 'max', 'avg', 'count', 'topk', 'bottomk', 'quantile', 'stddev', 'rate', 'irate', 'increase', 'delta', 'deriv',
  'histogram_quantile', 'scalar', 'vector', 'abs', 'clamp_min', 'clamp_max', 'max_over_time', 'min_over_time', 'avg_over_time',
  'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset',
]);

/** The metric names and the labels a PromQL expression reads. */
function promqlNames(expr: string): { metrics: string[]; labels: string[] } {
  const labels: string[] = [];
  let rest = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{([^}]*)\}/g, (_all, matchers: string) => {
      for (const matcher of matchers.split(',')) {
        const label = /^\s*([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)/.exec(matcher)?.[1];
        if (label) labels.push(label);
      }
      return ' ';
    })
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g, (_all, _word, list: string) => {
      labels.push(...list.split(',').map((label) => label.trim()).filter(Boolean));
      return ' ';
    })
    .replace(/\[[^\]]*\]/g, ' ');
  rest = rest.replace(/\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b/gi, ' ');
  const metrics = (rest.match(/[a-zA-Z_:][\w:]*/g) ?? []).filter((word) => !PROMQL_WORDS.has(word));
  return { metrics, labels };
}

/** Checks an expression: every series is the code's (or Prometheus' own, where allowed); every label one its metrics carry. */
function expectKnownSeries(expr: string, options: { prometheusOwn: boolean }): MetricKey[] {
  const { metrics, labels } = promqlNames(expr);
  expect(metrics.length).toBeGreaterThan(0);
  const keys: MetricKey[] = [];
  for (const metric of metrics) {
    if (options.prometheusOwn && PROMETHEUS_OWN.has(metric)) continue;
    if (!SERIES.has(metric)) throw new Error(`${metric} (in ${expr}) is not a series of platform/telemetry/metric-names.ts`);
    keys.push(SERIES.get(metric)!);
  }
  const allowed = new Set([...TARGET_LABELS, ...keys.flatMap((key) => METRIC_ATTRIBUTES[key].map((attribute) => attribute.replace(/\./g, '_')))]);
  for (const label of labels) {
    if (!allowed.has(label)) throw new Error(`label ${label} (in ${expr}) is not an attribute of ${keys.join(', ')} (platform/telemetry/metric-attributes.ts)`);
  }
  return keys;
}

describe('PromQL names', () => {
  it('finds the series and the labels of an expression', () => {
    expect(promqlNames('histogram_quantile(0.99, sum by (le, db_namespace) (rate(db_client_operation_duration_bucket{job="persons"}[5m]))) > 2')).toEqual({
      metrics: ['db_client_operation_duration_bucket'],
      labels: ['job', 'le', 'db_namespace'],
    });
    expect(() => expectKnownSeries('rate(http_server_duration_seconds_count[5m])', { prometheusOwn: false })).toThrow(/not a series/);
    expect(() => expectKnownSeries('sum by (agency) (rate(dmx_rate_limit_refusals_total[5m]))', { prometheusOwn: false })).toThrow(/label agency/);
  });
});

// --- docker-compose.yml --------------------------------------------------------------------------------

describe('docker-compose.yml: health, operations listeners, traces', () => {
  it('checks every service of the graph on /ready at the port it serves, and the load balancer through to a gateway', () => {
    for (const name of SUBGRAPH_NAMES) {
      const target = healthcheckTarget(services[name]);
      expect(target).toEqual({ path: '/ready', port: services[name].environment![`${name.toUpperCase()}_PORT`] });
      expect(target.port).toBe(String(DEFAULT_SUBGRAPH_PORTS[name]));
    }
    for (const name of gateways) {
      expect(healthcheckTarget(services[name])).toEqual({ path: READY_PATH, port: services[name].environment!.PORT });
    }
    const balancer = services['load-balancer'];
    expect(balancer.healthcheck!.test.join(' ')).toMatch(new RegExp(`http://127\\.0\\.0\\.1:${GATEWAY_PORT}${READY_PATH}\\b`));
    expect(balancer.ports).toEqual([`${GATEWAY_PORT}:${GATEWAY_PORT}`]);
    // Only images without a shell or an HTTP client go unchecked; everything else says when it is up.
    const unchecked = Object.keys(services).filter((name) => !services[name].healthcheck).sort();
    expect(unchecked).toEqual(['jaeger', 'otel-collector']);
  });

  it('serves the paths the checks ask for: a registry answers /health and /ready on its port, the gateway names its own', async () => {
    expect([HEALTH_PATH, READY_PATH]).toEqual(['/health', '/ready']);
    const definition = SUBGRAPHS.find((subgraph) => subgraph.name === 'persons')!;
    const db = await openDatabase({});
    const app = await createSubgraphApp(definition, { db, logLevel: 'silent', signingKey: null, backgroundWork: false });
    try {
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(503);
      await migrate(db, definition.migrations);
      expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  }, 60_000);

  it('sends every service of the graph to the collector and opens its operations listener to the compose network alone', () => {
    const collector = parse(read('deploy/otel-collector.yaml'));
    const receiver = new URL(`http://${collector.receivers.otlp.protocols.http.endpoint}`);
    expect(receiver.hostname).toBe('0.0.0.0');
    for (const name of ours) {
      const env = services[name].environment!;
      const endpoint = new URL(env.OTEL_EXPORTER_OTLP_ENDPOINT);
      expect([endpoint.hostname, endpoint.port]).toEqual(['otel-collector', receiver.port]);
      expect(env.OPS_HOST).toBe('0.0.0.0');
      // The main port of a gateway is reached through the load balancer; no ops port is published.
      expect(services[name].ports ?? []).toEqual([]);
    }
    // The collector passes spans to Jaeger, a service of the file, over OTLP.
    expect(collector.service.pipelines.traces.receivers).toEqual(['otlp']);
    for (const exporter of collector.service.pipelines.traces.exporters as string[]) {
      expect(exporter).toMatch(/^otlp(http)?\//);
      expect(Object.keys(services)).toContain(new URL(`http://${collector.exporters[exporter].endpoint.replace(/^https?:\/\//, '')}`).hostname);
    }
    expect(services.jaeger.image).toMatch(/^jaegertracing\/(jaeger:2\.|all-in-one:)/);
    expect(services['otel-collector'].image).toMatch(/^otel\/opentelemetry-collector-contrib:/);
    for (const [name, port] of [['jaeger', 16686], ['prometheus', 9090], ['grafana', 3000]] as const) {
      expect(services[name].ports).toEqual([`${port}:${port}`]);
    }
  });

  it('scrapes each service at the operations port its code listens on, every process of the graph and nothing else', () => {
    const prometheus = parse(read('deploy/prometheus.yml'));
    const scraped = new Map<string, { job: string; port: number }>();
    for (const job of prometheus.scrape_configs as { job_name: string; static_configs: { targets: string[] }[] }[]) {
      for (const target of job.static_configs.flatMap((config) => config.targets)) {
        const [host, port] = target.split(':');
        scraped.set(host, { job: job.job_name, port: Number(port) });
      }
    }
    expect([...scraped.keys()].sort()).toEqual([...ours].sort());
    for (const name of SUBGRAPH_NAMES) {
      expect(scraped.get(name)).toEqual({ job: name, port: DEFAULT_OPS_PORTS[name] });
      const set = services[name].environment![`${name.toUpperCase()}_OPS_PORT`];
      if (set !== undefined) expect(Number(set)).toBe(DEFAULT_OPS_PORTS[name]);
    }
    expect(gateways).toHaveLength(2);
    for (const name of gateways) {
      expect(scraped.get(name)).toEqual({ job: 'gateway', port: GATEWAY_OPS_PORT });
      const set = services[name].environment!.OPS_PORT;
      if (set !== undefined) expect(Number(set)).toBe(GATEWAY_OPS_PORT);
    }
    // The benchmark's telemetry phase scrapes as this Prometheus does.
    expect(prometheus.global.scrape_interval).toBe(`${SCRAPE_INTERVAL_MS / 1000}s`);
    // The alert rules file it loads is the one compose mounts.
    const mounts = (services.prometheus as { volumes?: string[] }).volumes ?? [];
    for (const rules of prometheus.rule_files as string[]) {
      const mount = mounts.find((volume) => volume.split(':')[1] === rules);
      expect(mount).toBeDefined();
      expect(existsSync(path.join(root, mount!.split(':')[0]))).toBe(true);
    }
  });

  it('balances over both gateways (least_conn), passing the request id on', () => {
    const nginx = read('deploy/nginx.conf');
    const upstream = /upstream\s+(\w+)\s*\{([^}]*)\}/.exec(nginx);
    expect(upstream).not.toBeNull();
    const servers = [...upstream![2].matchAll(/^\s*server\s+([\w.-]+):(\d+)/gm)].map(([, host, port]) => `${host}:${port}`);
    expect(servers.sort()).toEqual(gateways.map((name) => `${name}:${services[name].environment!.PORT}`).sort());
    expect(upstream![2]).toMatch(/^\s*least_conn;/m);
    expect(nginx).toContain(`proxy_pass http://${upstream![1]};`);
    expect(nginx).toMatch(/proxy_set_header\s+X-Request-Id\s+\$\w+;/i);
    const balancer = services['load-balancer'] as ComposeService & { volumes: string[] };
    expect(balancer.image).toMatch(/^nginx:/);
    expect(balancer.volumes).toContain('./deploy/nginx.conf:/etc/nginx/nginx.conf:ro');
    expect(Object.keys(balancer.depends_on ?? {}).sort()).toEqual([...gateways].sort());
  });
});

// --- Grafana and the alert rules ---------------------------------------------------------------------

describe('Grafana dashboard and alert rules', () => {
  const dashboard = JSON.parse(read('deploy/grafana/dashboards/dmx-graph.json'));
  const panels = (dashboard.panels as { type: string; title: string; targets?: { expr: string; refId: string }[]; datasource?: { uid: string } }[]).filter(
    (panel) => panel.type !== 'row',
  );

  it('reads only series the code exports, by labels they carry, and shows every metric', () => {
    const shown = new Set<MetricKey>();
    for (const panel of panels) {
      expect(panel.targets?.length).toBeGreaterThan(0);
      for (const target of panel.targets!) for (const key of expectKnownSeries(target.expr, { prometheusOwn: false })) shown.add(key);
    }
    expect([...shown].sort()).toEqual(Object.keys(METRICS).sort());
  });

  it("counts the gateway's GraphQL requests on every path it answers them on", () => {
    const alerts = parse(read('deploy/prometheus/alerts.yml')).groups.flatMap((group: { rules: { expr: string }[] }) => group.rules.map((rule) => rule.expr));
    const expressions = [...panels.flatMap((panel) => panel.targets!.map((target) => target.expr)), ...alerts];
    // Each route matcher beside job="gateway" (Prometheus anchors a regex at both ends).
    const matchers = expressions.flatMap((expr) => [...expr.matchAll(/job="gateway",http_route(=~?)"([^"]*)"/g)].map(([, op, value]) => ({ op, value })));
    expect(matchers.length).toBeGreaterThan(0);
    for (const { op, value } of matchers) {
      for (const path of GRAPHQL_PATHS) expect({ value, path, matched: op === '=' ? value === path : new RegExp(`^(?:${value})$`).test(path) }).toMatchObject({ matched: true });
    }
  });

  it('is provisioned with the data source it names', () => {
    const datasources = parse(read('deploy/grafana/provisioning/datasources/prometheus.yaml')).datasources as { uid: string; url: string }[];
    const uids = new Set(datasources.map((source) => source.uid));
    for (const panel of panels) expect(uids.has(panel.datasource!.uid)).toBe(true);
    expect(new URL(datasources[0].url).hostname).toBe('prometheus');
    const providers = parse(read('deploy/grafana/provisioning/dashboards/dmx.yaml')).providers as { options: { path: string } }[];
    const mounts = (services.grafana as { volumes: string[] }).volumes;
    expect(mounts).toContain(`./deploy/grafana/dashboards:${providers[0].options.path}:ro`);
    expect(mounts).toContain('./deploy/grafana/provisioning:/etc/grafana/provisioning:ro');
  });

  it('alerts on series the code exports (or on up)', () => {
    const rules = parse(read('deploy/prometheus/alerts.yml')).groups.flatMap((group: { rules: { alert: string; expr: string }[] }) => group.rules);
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) expectKnownSeries(rule.expr, { prometheusOwn: true });
  });

  it('documents every metric in docs/operations.md', () => {
    const docs = read('docs/operations.md');
    for (const metric of Object.values(METRICS)) expect(docs).toContain(`\`${metric.name}\``);
  });
});

// --- The image and Kubernetes ------------------------------------------------------------------------

describe('the image', () => {
  it('copies every folder the build compiles, so the entry points exist in it', () => {
    const dockerfile = read('Dockerfile');
    const copied = new Set([...dockerfile.matchAll(/^COPY\s+(?!--)(\S+)\s+\S+\s*$/gm)].map(([, source]) => source.replace(/\/$/, '')));
    const folders = new Set(built.filter((file) => file.includes('/')).map((file) => file.split('/')[0]));
    for (const folder of folders) expect(copied).toContain(folder);
    expect(built).toContain('gateway/main.ts');
  }, 60_000);
});

interface Container {
  name: string;
  image: string;
  command: string[];
  ports: { name: string; containerPort: number }[];
  envFrom?: { configMapRef?: { name: string } }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  readinessProbe: { httpGet: { path: string; port: string } };
  livenessProbe: { httpGet: { path: string; port: string } };
  startupProbe?: { httpGet: { path: string; port: string } };
  resources: { requests: Record<string, string>; limits: Record<string, string> };
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  spec: {
    replicas?: number;
    selector: { matchLabels?: Record<string, string>; [label: string]: unknown };
    template: { metadata: { labels: Record<string, string>; annotations?: Record<string, string> }; spec: { containers: Container[] } };
    ports: { name: string; port: number; targetPort: string }[];
    minAvailable?: number;
  };
}

describe('deploy/kubernetes', () => {
  const folder = path.join(root, 'deploy/kubernetes');
  const kustomization = parse(readFileSync(path.join(folder, 'kustomization.yaml'), 'utf8'));
  const manifests: Manifest[] = (kustomization.resources as string[]).flatMap((file) =>
    parseAllDocuments(readFileSync(path.join(folder, file), 'utf8')).map((document) => {
      expect(document.errors).toEqual([]);
      return document.toJS() as Manifest;
    }),
  );
  const find = (kind: string, name: string) => manifests.find((manifest) => manifest.kind === kind && manifest.metadata.name === name);
  const deployments = manifests.filter((manifest) => manifest.kind === 'Deployment');
  const common = find('ConfigMap', 'dmx-common')!.data!;

  /** A container's environment as its process sees it: the ConfigMap, its own values, Secrets as an operator fills them. */
  function resolvedEnvironment(container: Container): Record<string, string> {
    const keys = newSigningKeyPair();
    const secretValues: Record<string, string> = {
      DATABASE_URL: 'postgres://dmx:secret@db.example.az:5432/registry',
      RATE_LIMIT_DATABASE_URL: 'postgres://dmx:secret@db.example.az:5432/ratelimit',
      GATEWAY_PUBLIC_KEY: encodeKey(keys.publicKey),
      GATEWAY_PRIVATE_KEY: encodeKey(keys.privateKey),
      REGISTRY_PRIVATE_KEY: encodeKey(keys.privateKey),
      APPLICATIONS_PUBLIC_KEY: encodeKey(keys.publicKey),
      PAYMENTS_PUBLIC_KEY: encodeKey(keys.publicKey),
      PERMITS_PUBLIC_KEY: encodeKey(keys.publicKey),
      CURSOR_KEY: 'c'.repeat(64),
      AUDIT_KEY: 'a'.repeat(64),
      AUDIT_CHECKPOINT_KEY: 'set by the operator',
      AUTH_TRUST: JSON.stringify([{ issuer: 'https://idp.police.example.az', jwksUrl: 'https://idp.police.example.az/.well-known/jwks.json', agencies: ['police'] }]),
    };
    const env: Record<string, string> = {};
    for (const source of container.envFrom ?? []) Object.assign(env, find('ConfigMap', source.configMapRef!.name)!.data);
    for (const variable of container.env ?? []) {
      const secret = variable.valueFrom?.secretKeyRef;
      if (secret) expect(secretValues[secret.key]).toBeDefined();
      env[variable.name] = secret ? secretValues[secret.key] : variable.value!;
    }
    return env;
  }

  it('lists every manifest of the folder, which all parse, and holds no Secret values', () => {
    const files = readdirSync(folder).filter((file) => /\.ya?ml$/.test(file) && file !== 'kustomization.yaml');
    expect([...(kustomization.resources as string[])].sort()).toEqual(files.sort());
    expect(manifests.map((manifest) => manifest.kind)).not.toContain('Secret');
    expect(find('Namespace', kustomization.namespace)).toBeDefined();
    expect(kustomization.images).toEqual([expect.objectContaining({ name: 'dmx-registries-graph' })]);
  });

  it('has one Deployment and one Service for the gateway and for each registry, from the one image', () => {
    expect(deployments.map((deployment) => deployment.metadata.name).sort()).toEqual(['gateway', ...SUBGRAPH_NAMES].sort());
    for (const deployment of deployments) {
      const [container] = deployment.spec.template.spec.containers;
      expect(container.image).toBe('dmx-registries-graph:latest');
      const service = find('Service', deployment.metadata.name)!;
      expect(deployment.spec.template.metadata.labels).toMatchObject(service.spec.selector);
      expect(deployment.spec.template.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels!);
      for (const port of service.spec.ports) expect(container.ports.map((each) => each.name)).toContain(port.targetPort);
    }
    expect(find('Deployment', 'gateway')!.spec.replicas).toBe(2);
    for (const name of SUBGRAPH_NAMES) {
      expect(find('Deployment', name)!.spec.replicas).toBe(name === 'applications' ? 2 : 1);
    }
    const budget = find('PodDisruptionBudget', 'gateway')!;
    expect(find('Deployment', 'gateway')!.spec.template.metadata.labels).toMatchObject(budget.spec.selector.matchLabels!);
    expect(budget.spec.minAvailable).toBeGreaterThanOrEqual(1);
  });

  it.each(['gateway', ...SUBGRAPH_NAMES])('runs %s from an entry point the build produces, probed on /ready and /health at the port it serves', (name) => {
    const [container] = find('Deployment', name)!.spec.template.spec.containers;
    expect(container.command).toEqual(name === 'gateway' ? ['node', ...GATEWAY_NODE_FLAGS, 'dist/gateway/main.js'] : ['node', `dist/subgraphs/${name}/main.js`]);
    expectBuiltEntryPoint(container.command);
    const env = resolvedEnvironment(container);
    const port = (portName: string) => container.ports.find((each) => each.name === portName)!.containerPort;
    const main = name === 'gateway' ? GATEWAY_PORT : DEFAULT_SUBGRAPH_PORTS[name as SubgraphName];
    const ops = name === 'gateway' ? GATEWAY_OPS_PORT : DEFAULT_OPS_PORTS[name as SubgraphName];
    expect(port('http')).toBe(main);
    expect(port('metrics')).toBe(ops);
    // What the process listens on, where its variables say it, is what the ports declare.
    const upper = name === 'gateway' ? '' : `${name.toUpperCase()}_`;
    if (env[`${upper}PORT`] !== undefined) expect(Number(env[`${upper}PORT`])).toBe(main);
    if (env[`${upper}OPS_PORT`] !== undefined) expect(Number(env[`${upper}OPS_PORT`])).toBe(ops);
    expect(env.OPS_HOST).toBe('0.0.0.0');
    expect(env.HOST).toBe('0.0.0.0');
    // A gateway is taken out of the Service for its own state only: a registry down leaves every
    // gateway serving what the others hold (decision 0013); a registry, for its database.
    expect(container.readinessProbe.httpGet).toEqual({ path: name === 'gateway' ? INSTANCE_READY_PATH : READY_PATH, port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: HEALTH_PATH, port: 'http' });
    if (container.startupProbe) expect([HEALTH_PATH, READY_PATH]).toContain(container.startupProbe.httpGet.path);
    const annotations = find('Deployment', name)!.spec.template.metadata.annotations!;
    expect(annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(ops), 'prometheus.io/path': '/metrics' });
    for (const kind of ['requests', 'limits'] as const) expect(Object.keys(container.resources[kind]).sort()).toEqual(['cpu', 'memory']);
  });

  it.each(SUBGRAPH_NAMES)('gives the %s registry an environment it accepts, its database from a Secret', (name) => {
    const [container] = find('Deployment', name)!.spec.template.spec.containers;
    const env = resolvedEnvironment(container);
    expect(() => parseEnvironment(subgraphEnvironment, env)).not.toThrow();
    expect(container.env!.find((variable) => variable.name === 'DATABASE_URL')!.valueFrom!.secretKeyRef).toEqual({ name: `dmx-${name}`, key: 'DATABASE_URL' });
    // Its own reads of the graph go through the gateway's Service, at the port it serves.
    const gateway = new URL(env.GATEWAY_URL);
    expect(find('Service', gateway.hostname)!.spec.ports.find((port) => port.name === 'http')!.port).toBe(Number(gateway.port));
    const callsGraph = SUBGRAPHS.find((definition) => definition.name === name)!.callsGraph === true;
    expect(container.env!.some((variable) => variable.name === 'REGISTRY_PRIVATE_KEY' && variable.valueFrom?.secretKeyRef)).toBe(callsGraph);
  });

  it('gives the gateway an environment it accepts, each registry by its Service, keys and the rate budget from Secrets', () => {
    const [container] = find('Deployment', 'gateway')!.spec.template.spec.containers;
    const env = resolvedEnvironment(container);
    expect(() => parseEnvironment(gatewayEnvironment, env)).not.toThrow();
    for (const name of SUBGRAPH_NAMES) {
      const url = new URL(env[`${name.toUpperCase()}_URL`]);
      expect(find('Service', url.hostname)!.spec.ports.find((port) => port.name === 'http')!.port).toBe(Number(url.port));
      expect(url.pathname).toBe('/graphql');
    }
    for (const secret of ['GATEWAY_PRIVATE_KEY', 'RATE_LIMIT_DATABASE_URL', 'AUTH_TRUST']) {
      expect(container.env!.find((variable) => variable.name === secret)!.valueFrom!.secretKeyRef!.name).toBe('dmx-gateway');
    }
    expect(Object.values(common).join('\n')).not.toMatch(/PRIVATE|BEGIN|postgres:\/\//);
  });

  it('keeps a share of the traces, with sampler settings every service accepts, as the benchmark reads them', () => {
    const sampling = deployedTraceSampling(root);
    expect(sampling).toEqual({ OTEL_TRACES_SAMPLER: common.OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG: common.OTEL_TRACES_SAMPLER_ARG });
    expect(sampling.OTEL_TRACES_SAMPLER).toBe('parentbased_traceidratio');
    expect(Number(sampling.OTEL_TRACES_SAMPLER_ARG)).toBeLessThan(1);
    expect(samplerFromEnvironment(common).toString()).toContain(`TraceIdRatioBased{${Number(sampling.OTEL_TRACES_SAMPLER_ARG)}}`);
  });
});
