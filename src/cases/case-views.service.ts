import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import type { Caller } from '../auth/caller.js';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { CustomersService } from '../customers/customers.service.js';
import { GoodwillService } from '../customers/goodwill.service.js';
import { NotesService } from '../customers/notes.service.js';
import { Post } from '../sources/post.entity.js';
import type { Case } from './case.entity.js';
import { caseView, timelineView } from './case-view.js';
import { CasesService } from './cases.service.js';
import { TeamsService } from './teams.service.js';

@Injectable()
export class CaseViewsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cases: CasesService,
    private readonly teams: TeamsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly customers: CustomersService,
    private readonly notes: NotesService,
    private readonly goodwill: GoodwillService,
  ) {}

  async queue(caller: Caller, filter: { brand?: string; team?: string; limit: number; offset: number }) {
    const cases = await this.cases.queue(caller, { brandId: filter.brand, teamId: filter.team, limit: filter.limit, offset: filter.offset });
    return { items: await this.views(cases), limit: filter.limit, offset: filter.offset };
  }

  async list(cases: Case[]) {
    return this.views(cases);
  }

  async detail(caller: Caller, id: string) {
    const c = await this.cases.getFor(caller, id);
    const [[view], summary, notes, compensations, timeline] = await Promise.all([
      this.views([c]),
      this.customers.caseSummary(c),
      this.notes.forCase(c),
      this.goodwill.forCase(c.id),
      this.cases.timeline(id),
    ]);
    // The record the next agent reads before answering: the customer's history and the notes, newest first.
    return { ...view, customer: view.customer && { ...view.customer, ...summary }, notes, compensations, timeline: timelineView(timeline) };
  }

  private async views(cases: Case[]) {
    const postIds = cases.map((c) => c.firstPostId);
    const posts = postIds.length ? await this.db.getRepository(Post).find({ where: { id: In(postIds) }, relations: { author: true } }) : [];
    const teams = await this.teams.names([...new Set(cases.map((c) => c.teamId).filter((id): id is string => id !== null))]);
    const postById = new Map(posts.map((p) => [p.id, p]));
    const now = this.clock.now();
    return cases.map((c) =>
      caseView(c, postById.get(c.firstPostId), this.config.brand(c.brandId), c.teamId ? (teams.get(c.teamId) ?? null) : null, now),
    );
  }
}
