import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AtpAgent, RichText } from '@atproto/api';
import pg from 'pg';

// @atproto/dev-env is CommonJS and large: loaded only by the tests that start a network.
const require = createRequire(import.meta.url);

interface DevEnvNetwork {
  pds: { url: string };
  processAll(): Promise<void>;
  close(): Promise<void>;
  getSeedClient(): { createAccount(name: string, opts: { handle: string; email: string; password: string }): Promise<unknown> };
}

export interface BlueskyAccount {
  handle: string;
  password: string;
  agent: AtpAgent;
  did: string;
}

const DEFAULT_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';

// A real Bluesky network on loopback (PLC, PDS and AppView from @atproto/dev-env 0.3.215, the
// last that runs on Node 20), its databases in schemas of their own on the PostgreSQL server.
export class BlueskyNetwork {
  private constructor(
    private readonly network: DevEnvNetwork,
    private readonly schema: string,
    private readonly serverUrl: string,
    private readonly tmp: string,
    private readonly savedTmpdir: string | undefined,
  ) {}

  static async start(): Promise<BlueskyNetwork> {
    const serverUrl = process.env.DATABASE_URL || DEFAULT_SERVER;
    // dev-env names its schemas after this one (appview_<name>, …): letters only.
    const schema = `paradox${Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('')}`;
    const tmp = mkdtempSync(join(tmpdir(), 'paradox-bluesky-'));
    // The PDS keeps its blobs under TMPDIR; the test files that run after this one get it back.
    const savedTmpdir = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    process.env.REDIS_HOST ||= '127.0.0.1:6379';
    const { TestNetwork } = require('@atproto/dev-env') as { TestNetwork: { create(p: Record<string, unknown>): Promise<DevEnvNetwork> } };
    const network = await TestNetwork.create({ dbPostgresUrl: serverUrl, dbPostgresSchema: schema });
    return new BlueskyNetwork(network, schema, serverUrl, tmp, savedTmpdir);
  }

  get pdsUrl(): string {
    return this.network.pds.url;
  }

  async account(name: string): Promise<BlueskyAccount> {
    const handle = `${name}.test`;
    const password = `${name}-password`;
    await this.network.getSeedClient().createAccount(name, { handle, email: `${name}@example.test`, password });
    const agent = new AtpAgent({ service: this.pdsUrl });
    await agent.login({ identifier: handle, password });
    return { handle, password, agent, did: agent.session!.did };
  }

  // A post as the Bluesky app writes one: mentions as facets, replies with root and parent.
  async post(author: BlueskyAccount, text: string, inReplyTo?: { uri: string; cid: string }): Promise<{ uri: string; cid: string }> {
    const rich = new RichText({ text });
    await rich.detectFacets(author.agent);
    let reply: { root: { uri: string; cid: string }; parent: { uri: string; cid: string } } | undefined;
    if (inReplyTo) {
      const { data } = await author.agent.getPosts({ uris: [inReplyTo.uri] });
      const parentReply = (data.posts[0]?.record as { reply?: { root: { uri: string; cid: string } } }).reply;
      reply = { root: parentReply?.root ?? inReplyTo, parent: inReplyTo };
    }
    const posted = await author.agent.post({ text: rich.text, facets: rich.facets, reply, langs: ['en'] });
    await this.network.processAll();
    return posted;
  }

  // The replies under a post, as the customer's app shows them (app.bsky.feed.getPostThread).
  async replies(viewer: BlueskyAccount, uri: string): Promise<Array<{ uri: string; cid: string; author: string; text: string; replies: number }>> {
    await this.network.processAll();
    const { data } = await viewer.agent.getPostThread({ uri, depth: 10 });
    const out: Array<{ uri: string; cid: string; author: string; text: string; replies: number }> = [];
    const walk = (node: any) => {
      for (const r of node?.replies ?? []) {
        out.push({ uri: r.post.uri, cid: r.post.cid, author: r.post.author.handle, text: r.post.record.text, replies: r.replies?.length ?? 0 });
        walk(r);
      }
    };
    walk(data.thread);
    return out;
  }

  processAll(): Promise<void> {
    return this.network.processAll();
  }

  async stop(): Promise<void> {
    await this.network.close();
    const client = new pg.Client(this.serverUrl);
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE '%' || $1`, [this.schema]);
      for (const { nspname } of rows) await client.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
    } finally {
      await client.end();
    }
    if (this.savedTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = this.savedTmpdir;
    rmSync(this.tmp, { recursive: true, force: true });
  }
}
