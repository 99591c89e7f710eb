/**
 * A loopback TCP forwarder the test can cut: stands between the services and Redis so a test
 * can take "Redis" away and bring it back without touching the real server.
 */
import net from 'node:net';

export class TcpProxy {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private down = false;

  constructor(private readonly target: { host: string; port: number }) {}

  /** A proxy, started, in front of the server a URL names (`defaultPort` when it has none). */
  static async inFrontOf(url: string, defaultPort: number): Promise<TcpProxy> {
    const target = new URL(url);
    const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || defaultPort) });
    await proxy.start();
    return proxy;
  }

  /** `url` (any URL to the same server, e.g. another database on it) pointed at this proxy instead. */
  through(url: string): string {
    const proxied = new URL(url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(this.port);
    return proxied.toString();
  }

  private get port(): number {
    return (this.server!.address() as net.AddressInfo).port;
  }

  async start(): Promise<number> {
    this.server = net.createServer((client) => {
      if (this.down) {
        client.destroy();
        return;
      }
      const upstream = net.connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Drops every open connection and refuses new ones, as a stopped server would. */
  cut(): void {
    this.down = true;
    for (const socket of this.sockets) socket.destroy();
  }

  restore(): void {
    this.down = false;
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
