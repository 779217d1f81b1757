import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProxyFault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  | { kind: 'hang' }
  | { kind: 'malformed' };

// A real HTTP server on loopback in front of a real service (the dev-env PDS): it passes every
// request through, except those it was told to fail, which it answers itself.
export class FaultProxy {
  private readonly faults: { pathPrefix: string; fault: ProxyFault; skip: number }[] = [];
  private readonly hanging = new Set<ServerResponse>();
  readonly requests: string[] = [];

  private constructor(
    private readonly server: Server,
    private readonly target: string,
  ) {}

  static async start(target: string): Promise<FaultProxy> {
    let proxy: FaultProxy;
    const server = createServer((req, res) => void proxy.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = new FaultProxy(server, target.replace(/\/$/, ''));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  // The next request to the path fails; with skip, the one after that many pass through.
  failNext(pathPrefix: string, fault: ProxyFault, skip = 0): void {
    this.faults.push({ pathPrefix, fault, skip });
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? '/';
    this.requests.push(`${req.method} ${path.split('?')[0]}`);
    const at = this.faults.findIndex((f) => path.startsWith(f.pathPrefix) && f.skip-- <= 0);
    if (at >= 0) {
      const [{ fault }] = this.faults.splice(at, 1);
      if (fault.kind === 'hang') {
        this.hanging.add(res);
        return;
      }
      if (fault.kind === 'malformed') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"notifications": "not a list", "cursor": 7');
        return;
      }
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers }).end(fault.body ?? JSON.stringify({ error: 'Injected', message: `HTTP ${fault.status}` }));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name))) as Record<string, string>;
    const upstream = await fetch(`${this.target}${path}`, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
    const body = Buffer.from(await upstream.arrayBuffer());
    const out: Record<string, string> = {};
    upstream.headers.forEach((value, name) => {
      if (!['content-encoding', 'content-length', 'transfer-encoding', 'connection'].includes(name)) out[name] = value;
    });
    res.writeHead(upstream.status, out).end(body);
  }
}
