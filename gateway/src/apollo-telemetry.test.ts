describe("Apollo Gateway's anonymous usage reporting", () => {
  const saved = process.env.APOLLO_TELEMETRY_DISABLED;
  afterEach(() => {
    if (saved === undefined) delete process.env.APOLLO_TELEMETRY_DISABLED;
    else process.env.APOLLO_TELEMETRY_DISABLED = saved;
  });

  it('is turned off when the gateway starts, unless the operator set the variable', () => {
    delete process.env.APOLLO_TELEMETRY_DISABLED;
    jest.isolateModules(() => require('./apollo-telemetry'));
    expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('true');

    process.env.APOLLO_TELEMETRY_DISABLED = 'false';
    jest.isolateModules(() => require('./apollo-telemetry'));
    expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('false');
  });

  it('takes only values Apollo Gateway understands', () => {
    const { loadConfig } = require('@sendco/config') as typeof import('@sendco/config');
    expect(() => loadConfig({ APOLLO_TELEMETRY_DISABLED: 'yes' })).toThrow(/APOLLO_TELEMETRY_DISABLED/);
    expect(() => loadConfig({ APOLLO_TELEMETRY_DISABLED: 'false' })).not.toThrow();
  });

  it('is set before the entry point loads @apollo/gateway', () => {
    const source = require('node:fs').readFileSync(require('node:path').join(__dirname, 'main.ts'), 'utf8') as string;
    const imports = [...source.matchAll(/^import .*?'([^']+)';$/gm)].map((m) => m[1]);
    // Only the tracing start-up comes first (it must patch http before anything loads it), and it
    // loads no Apollo code itself; then this switch, then everything else (./gateway loads Apollo).
    expect(imports.slice(0, 2)).toEqual(['./tracing', './apollo-telemetry']);
    const tracing = require('node:fs').readFileSync(require('node:path').join(__dirname, 'tracing.ts'), 'utf8') as string;
    expect(tracing).not.toMatch(/@apollo\//);
    expect(imports.indexOf('./gateway')).toBeGreaterThan(1);
  });
});
