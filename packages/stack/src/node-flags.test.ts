import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SEMI_SPACE_FLAG, serviceNodeFlags } from './node-flags';

describe('serviceNodeFlags', () => {
  it('gives every service the bigger young generation by default', () => {
    expect(serviceNodeFlags(undefined)).toEqual([SEMI_SPACE_FLAG]);
    expect(serviceNodeFlags('')).toEqual([SEMI_SPACE_FLAG]);
    expect(serviceNodeFlags('--enable-source-maps --perf-basic-prof')).toEqual([SEMI_SPACE_FLAG]);
  });

  it("leaves the operator's own semi-space setting in NODE_OPTIONS alone", () => {
    expect(serviceNodeFlags('--max-semi-space-size=16')).toEqual([]);
    expect(serviceNodeFlags('--enable-source-maps  --max_semi_space_size=128')).toEqual([]);
    // A different flag that merely starts alike is not a choice of semi-space.
    expect(serviceNodeFlags('--max-semi-space-size-extra=1')).toEqual([SEMI_SPACE_FLAG]);
  });

  it('is a flag this Node accepts, and it raises the heap V8 reserves by the bigger young generation', () => {
    // V8's heap limit counts the young generation's maximum: three semi-spaces' worth (the two
    // halves of new space plus the new large-object space), so 64 MB instead of 16 MB (the default
    // on a 64-bit machine with this much memory, set explicitly so the test does not depend on it) adds 144 MB.
    const heapLimit = (flags: string[]) =>
      Number(execFileSync(process.execPath, [...flags, '-e', "process.stdout.write(String(require('v8').getHeapStatistics().heap_size_limit))"], { encoding: 'utf8', env: { PATH: process.env.PATH } }));
    expect(heapLimit([SEMI_SPACE_FLAG]) - heapLimit(['--max-semi-space-size=16'])).toBe(3 * (64 - 16) * 1024 * 1024);
  });

  it('is what the container image gives every service too', () => {
    const dockerfile = readFileSync(path.join(__dirname, '../../../docker/Dockerfile'), 'utf8');
    const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
    expect(runtime).toMatch(new RegExp(`NODE_OPTIONS=${SEMI_SPACE_FLAG}\\b`));
  });
});
