/**
 * The Kubernetes manifests (deploy/k8s), checked offline: `kubectl kustomize` renders them, every
 * rendered object is validated against the Kubernetes API schemas (kubernetes-models), and what
 * the product needs of them is checked against the product itself: a Deployment and a Service for
 * the gateway, every subgraph in SUBGRAPHS and the jobs worker, on the ports the config gives
 * them, with probes on the health endpoints, settings that production's loadConfig accepts, and
 * a migration Job.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadConfig, SUBGRAPHS } from '@sendco/config';

const ROOT = path.resolve(__dirname, '..', '..');
const K8S = path.join(ROOT, 'deploy', 'k8s');

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
}

/** Each object's schema problem (null when it is valid), from kubernetes-models in a child process (it is ESM-only). */
function schemaProblems(list: K8sObject[]): (string | null)[] {
  const output = execFileSync(process.execPath, [path.join(__dirname, 'validate-objects.mjs')], { input: JSON.stringify(list), encoding: 'utf8', cwd: ROOT });
  return JSON.parse(output);
}

function envFile(file: string): Record<string, string> {
  const entries = fs
    .readFileSync(path.join(K8S, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]);
  return Object.fromEntries(entries);
}

describe('Kubernetes manifests (deploy/k8s)', () => {
  let objects: K8sObject[];
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

  beforeAll(() => {
    const rendered = execFileSync('kubectl', ['kustomize', K8S], { encoding: 'utf8' });
    objects = parseAllDocuments(rendered).map((doc) => {
      if (doc.errors.length) throw doc.errors[0];
      return doc.toJS() as K8sObject;
    });
  });

  it('renders objects that each validate against the Kubernetes schemas', () => {
    expect(objects.length).toBeGreaterThan(0);
    const problems = schemaProblems(objects);
    expect(objects.map((o, i) => [`${o.kind}/${o.metadata.name}`, problems[i]])).toEqual(objects.map((o) => [`${o.kind}/${o.metadata.name}`, null]));
    for (const object of objects) expect(object.metadata.namespace).toBe('sendco-hub');
  });

  it('the schema check refuses a malformed object (so the check above can fail)', () => {
    const deployment = structuredClone(objects.find((o) => o.kind === 'Deployment')!);
    deployment.spec.replicas = 'two';
    const unnamed = structuredClone(objects.find((o) => o.kind === 'Deployment')!);
    delete unnamed.spec.template.spec.containers[0].name;
    const unknownKind = { ...structuredClone(objects[0]), kind: 'Deployments' };
    const [replicas, name, kind] = schemaProblems([deployment, unnamed, unknownKind]);
    expect(replicas).toMatch(/replicas/);
    expect(name).toMatch(/name/);
    expect(kind).toMatch(/no schema/);
  });

  it('the settings (ConfigMap + the Secret keys) are a configuration production accepts, pointing at the Services', () => {
    const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('sendco-hub-config'));
    expect(configMap?.data).toBeDefined();
    const secrets = envFile('secrets.example.env');
    const config = loadConfig({ ...configMap!.data, ...secrets });
    expect(config.env).toBe('production');
    expect(config.database.embedded).toBe(false);
    expect(config.queue.backend).toBe('redis');
    expect(config.mail.devMailbox).toBe(false);
    // Secrets only in the Secret, never in the ConfigMap.
    for (const key of Object.keys(configMap!.data!)) expect(key).not.toMatch(/SECRET|PASSWORD|TOKEN|DATABASE_URL|REDIS_URL|SMTP_URL/);
    // Every subgraph URL the gateway uses, and the gateway URL the subgraphs use, is a rendered Service on its port.
    const targets = [...SUBGRAPHS.map((name) => config.subgraphs[name].url), config.gateway.url];
    for (const target of targets) {
      const url = new URL(target);
      const service = find('Service', url.hostname);
      expect({ target, service: service?.metadata.name }).toEqual({ target, service: url.hostname });
      expect(service!.spec.ports.map((p: { port: number }) => p.port)).toContain(Number(url.port));
    }
  });

  const processes = [
    { name: 'gateway', port: (c: ReturnType<typeof loadConfig>) => c.gateway.port, command: 'gateway/dist/main.js' },
    ...SUBGRAPHS.map((name) => ({ name, port: (c: ReturnType<typeof loadConfig>) => c.subgraphs[name].port, command: `subgraphs/${name}/dist/main.js` })),
    { name: 'jobs', port: (c: ReturnType<typeof loadConfig>) => c.jobs.metricsPort, command: 'jobs/dist/main.js' },
  ];

  it.each(processes)('$name: a Deployment of 2+ replicas with health probes and a Service on its port', ({ name, port, command }) => {
    const configMap = objects.find((o) => o.kind === 'ConfigMap')!;
    const config = loadConfig({ ...configMap.data, ...envFile('secrets.example.env') });
    const deployment = find('Deployment', name);
    expect(deployment).toBeDefined();
    expect(deployment!.spec.replicas).toBeGreaterThanOrEqual(2);
    const [container] = deployment!.spec.template.spec.containers;
    expect(container.command).toEqual(['node', command]);
    expect(fs.existsSync(path.join(ROOT, command.replace('/dist/', '/src/').replace(/\.js$/, '.ts')))).toBe(true);
    expect(container.ports).toEqual([{ name: 'http', containerPort: port(config) }]);
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    const sources = container.envFrom.map((e: any) => e.configMapRef?.name ?? e.secretRef?.name);
    expect(sources).toEqual([configMap.metadata.name, 'sendco-hub-secrets']);
    const service = find('Service', name);
    expect(service!.spec.ports).toEqual([{ name: 'http', port: port(config), targetPort: 'http' }]);
    expect(service!.spec.selector).toEqual(deployment!.spec.selector.matchLabels);
  });

  it('a migration Job runs `npm run migrate` from the image with the same settings', () => {
    const job = objects.find((o) => o.kind === 'Job');
    expect(job).toBeDefined();
    const [container] = job!.spec.template.spec.containers;
    const rootScripts = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts;
    expect(rootScripts.migrate).toContain(container.command.slice(1).join(' '));
    expect(container.envFrom.map((e: any) => e.configMapRef?.name ?? e.secretRef?.name)).toEqual([expect.stringMatching(/^sendco-hub-config/), 'sendco-hub-secrets']);
  });
});
