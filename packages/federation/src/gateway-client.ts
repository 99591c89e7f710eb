/**
 * A service's own read of the supergraph through the gateway, for data another subgraph owns
 * (a school's phase from the directory, upcoming events and clinics for the bulletin). Subgraphs
 * never read each other's tables; they ask the one endpoint, as a front end would. Calls are
 * anonymous, so they can only see what is public.
 */

export interface GatewayClient {
  /** Runs one operation; any GraphQL error becomes a thrown GatewayQueryError. */
  query<T>(document: string, variables?: Record<string, unknown>): Promise<T>;
}

export class GatewayQueryError extends Error {
  constructor(
    message: string,
    /** The first error's extensions.code, when the gateway answered with one (e.g. NOT_FOUND). */
    public readonly code?: string,
  ) {
    super(message);
    this.name = 'GatewayQueryError';
  }
}

export function createGatewayClient(url: string, options: { timeoutMs?: number } = {}): GatewayClient {
  const timeoutMs = options.timeoutMs ?? 5000;
  return {
    async query<T>(document: string, variables?: Record<string, unknown>): Promise<T> {
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: document, variables }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new GatewayQueryError(`the gateway did not answer: ${(error as Error).message}`);
      }
      const body = (await response.json().catch(() => undefined)) as
        | { data?: T; errors?: { message: string; extensions?: { code?: string } }[] }
        | undefined;
      if (!body) throw new GatewayQueryError(`the gateway answered HTTP ${response.status} without JSON`);
      const first = body.errors?.[0];
      if (first) throw new GatewayQueryError(first.message, first.extensions?.code);
      if (body.data === undefined || body.data === null) throw new GatewayQueryError('the gateway answered without data');
      return body.data;
    },
  };
}

/** For callers that want the failure to reach the client as a service error, not a crash. */
export function isGatewayQueryError(error: unknown): error is GatewayQueryError {
  return error instanceof GatewayQueryError;
}
