import { delivery, WEBHOOK_SECRET, WebhookClient, webhookSecrets, webhookSources } from '../test/support/webhook-client.js';
import type { QueuePlatform } from './time-to-queue.js';

const SOURCE = 'acme-webhook';

// A caller's system on loopback sending signed deliveries: the time-to-queue runs from the
// delivery being sent to its case in GET /cases, with nothing polled.
export async function webhookPlatform(): Promise<QueuePlatform> {
  let caller: WebhookClient | null = null;
  const file = webhookSources([{ id: SOURCE }]);
  return {
    name: 'a signed webhook',
    pollSeconds: 0,
    file: { brands: file.brands, sources: file.sources },
    env: webhookSecrets(1),
    connect(t) {
      caller = new WebhookClient(t.url, SOURCE, WEBHOOK_SECRET);
    },
    async prepare() {},
    async post(i, text) {
      if (!caller) throw new Error('the webhook caller was never told where Paradox listens');
      const sent = delivery(text, { id: `ttq${i}`, name: `Customer ${i}` });
      const response = await caller.send(sent);
      if (response.status !== 202) throw new Error(`POST /webhooks/${SOURCE}: ${response.status} ${response.text}`);
      return `${SOURCE}:${sent.id}`;
    },
    async stop() {},
  };
}
