import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { SourcePoller } from './source-poller.service.js';

@Injectable()
export class SourcesService {
  constructor(
    private readonly config: AppConfig,
    private readonly poller: SourcePoller,
    private readonly clock: Clock,
  ) {}

  async health() {
    const states = new Map((await this.poller.states()).map((s) => [s.sourceId, s]));
    const now = this.clock.now();
    return this.config.sources.map((source) => {
      const s = states.get(source.id);
      return {
        id: source.id,
        brandId: source.brand,
        type: source.type,
        demo: source.type === 'demo',
        pollSeconds: source.pollSeconds,
        healthy: s?.healthy ?? null,
        backingOff: !!s?.backoffUntil && s.backoffUntil > now,
        backoffUntil: s?.backoffUntil ?? null,
        consecutiveFailures: s?.consecutiveFailures ?? 0,
        lastPolledAt: s?.lastPolledAt ?? null,
        lastSuccessAt: s?.lastSuccessAt ?? null,
        lastError: s?.lastError ?? null,
        lastErrorAt: s?.lastErrorAt ?? null,
        rateLimitRemaining: s?.rateLimitRemaining ?? null,
        rateLimitResetAt: s?.rateLimitResetAt ?? null,
        postsIngested: s?.postsIngested ?? 0,
      };
    });
  }
}
