/**
 * A real local OpenID Connect provider for the identity tests: oauth2-mock-server in a child
 * process (tests/support/oidc-server.mjs; the package is ESM-only), each named issuer on its own
 * loopback port with its discovery document, /jwks and /token. This side asks it for tokens,
 * publishes new keys, and takes an issuer down and up again.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './stack';

export interface MockIssuer {
  /** The `iss` of its tokens. */
  issuer: string;
  /** Its JWKS, on 127.0.0.1. */
  jwksUrl: string;
}

export interface TokenRequest {
  /** The signing key (its `kid`); the one the issuer started with unless given. */
  kid?: string;
  /** Claims set on top of iss/iat/exp/nbf (any of which they may replace). */
  claims: Record<string, unknown>;
  /** Claims to leave out (`exp`). */
  remove?: string[];
  /** Seconds until `exp` (negative: already expired); 3600 unless given. */
  expiresIn?: number;
}

export class MockOidcProvider {
  private child?: ChildProcess;
  private next = 0;
  private readonly pending = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>();
  private readonly firstKid = new Map<string, string>();

  async start(): Promise<this> {
    const child = fork(path.join(REPO_ROOT, 'tests', 'support', 'oidc-server.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the OIDC server exited with ${code}`)));
      child.on('message', (message: { ready?: boolean; id?: number; result?: unknown; error?: string }) => {
        if (message.ready) return resolve();
        const waiting = this.pending.get(message.id!);
        this.pending.delete(message.id!);
        if (message.error) waiting?.reject(new Error(message.error));
        else waiting?.resolve(message.result);
      });
    });
    return this;
  }

  private call<T>(message: Record<string, unknown>): Promise<T> {
    const id = ++this.next;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child!.send({ ...message, id });
    });
  }

  async issuer(name: string): Promise<MockIssuer> {
    const kid = `${name}-key-1`;
    const { issuer, port } = await this.call<{ issuer: string; port: number }>({ op: 'start', name, kid });
    this.firstKid.set(name, kid);
    return { issuer, jwksUrl: `http://127.0.0.1:${port}/jwks` };
  }

  token(name: string, request: TokenRequest): Promise<string> {
    return this.call<string>({ op: 'token', name, kid: request.kid ?? this.firstKid.get(name), claims: request.claims, remove: request.remove, expiresIn: request.expiresIn });
  }

  /** Generates a key and publishes it beside the others in the issuer's JWKS; returns the kids published. */
  publishKey(name: string, kid: string): Promise<string[]> {
    return this.call<string[]>({ op: 'publish-key', name, kid });
  }

  /** Stops the issuer's HTTP server (JWKS, discovery, token endpoint unreachable). */
  down(name: string): Promise<void> {
    return this.call<void>({ op: 'down', name });
  }

  up(name: string): Promise<void> {
    return this.call<void>({ op: 'up', name });
  }

  async stop(): Promise<void> {
    if (!this.child || this.child.exitCode !== null) return;
    await this.call<void>({ op: 'stop-all' }).catch(() => undefined);
    const exited = new Promise((resolve) => this.child!.once('exit', resolve));
    this.child.kill();
    await exited;
  }
}
