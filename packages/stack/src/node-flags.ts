/**
 * The Node flags every service runs with, wherever it is started: `npm start` and the test
 * stacks pass them on the command line (spawnService); the container image sets the same value
 * in NODE_OPTIONS (docker/Dockerfile), which compose and the Kubernetes manifests inherit.
 *
 * Why a bigger young generation: during a booking rush the gateway and the training subgraph
 * each hold hundreds of requests in flight. With V8's default 16 MB semi-space every scavenge
 * finds most of those requests' objects still alive, copies them and promotes them to the old
 * generation, which then fills and needs a major (marking) collection. perf samples of the rush
 * put garbage collection at 37% of the gateway's CPU and 22% of the training subgraph's; with a
 * 64 MB semi-space it fell to 11% and 5%, and the whole machine spent 10–25% less CPU per booking
 * (BENCHMARKS.md, "Issue 17, second round"). The cost is memory: the busy services' peak RSS in
 * the rush rose by about 85 MB (gateway 295 → 378 MB), within the manifests' 512 MiB limit; a
 * semi-space only grows to its maximum under allocation pressure, so idle services do not pay.
 */
export const SEMI_SPACE_FLAG = '--max-semi-space-size=64';

/**
 * The flags to put before a service's entry point. An operator's own choice wins: when the
 * service's NODE_OPTIONS already sets the semi-space, nothing is added.
 */
export function serviceNodeFlags(nodeOptions: string | undefined): string[] {
  const setsSemiSpace = (flag: string) => /^--max[-_]semi[-_]space[-_]size(=|$)/.test(flag);
  return (nodeOptions ?? '').split(/\s+/).some(setsSemiSpace) ? [] : [SEMI_SPACE_FLAG];
}
