import type { DataSource } from 'typeorm';

// Credentials a platform hands out and rotates (X's refresh token works once): they live in
// source_state.credentials, never in the config, so a restart goes on with the newest. The
// registry gives a connector the store of its own source, and nothing else reads the column.
export interface CredentialStore {
  read(): Promise<Record<string, string> | null>;
  write(credentials: Record<string, string>): Promise<void>;
}

export function sourceCredentials(db: DataSource, sourceId: string, platform: string): CredentialStore {
  return {
    async read() {
      const [row] = await db.query('SELECT credentials FROM source_state WHERE source_id = $1', [sourceId]);
      return (row?.credentials as Record<string, string> | null) ?? null;
    },
    async write(credentials) {
      // The row may not exist yet: the first request of a source can come before the poller's start.
      await db.query(
        `INSERT INTO source_state (source_id, platform, credentials) VALUES ($1, $2, $3::jsonb)
         ON CONFLICT (source_id) DO UPDATE SET credentials = EXCLUDED.credentials`,
        [sourceId, platform, JSON.stringify(credentials)],
      );
    },
  };
}
