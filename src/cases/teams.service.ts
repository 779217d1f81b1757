import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { assertBrand, type Caller, whereCallerBrands } from '../auth/caller.js';
import { MANAGERS, READERS } from '../auth/roles.decorator.js';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { BrandNotFoundError, TeamNameTakenError, TeamNotFoundError, TeamOtherBrandError } from './case-errors.js';
import { Team, TeamMember } from './team.entity.js';

export interface TeamView {
  id: string;
  brandId: string;
  name: string;
  members: string[];
  createdAt: Date;
}

@Injectable()
export class TeamsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  async list(caller: Caller, brandId?: string): Promise<TeamView[]> {
    const q = this.db.getRepository(Team).createQueryBuilder('t').leftJoinAndSelect('t.members', 'm').orderBy('t.brandId').addOrderBy('t.name').addOrderBy('m.member');
    if (brandId) q.andWhere('t.brandId = :brandId', { brandId });
    whereCallerBrands(q, caller, READERS, 't.brandId');
    return (await q.getMany()).map(view);
  }

  async create(caller: Caller, input: { brandId: string; name: string }): Promise<TeamView> {
    if (!this.config.brands.some((b) => b.id === input.brandId)) throw new BrandNotFoundError(input.brandId);
    assertBrand(caller, MANAGERS, input.brandId);
    return this.db.transaction(async (m) => {
      const [row] = (await m.query(
        `INSERT INTO team (brand_id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (brand_id, name) DO NOTHING RETURNING id`,
        [input.brandId, input.name, this.clock.now()],
      )) as { id: string }[];
      if (!row) throw new TeamNameTakenError(input.brandId, input.name);
      await this.audit.record(m, { actor: caller, action: 'team.created', brandId: input.brandId, subject: row.id, data: { name: input.name } });
      return this.get(row.id, m);
    });
  }

  async addMember(caller: Caller, teamId: string, member: string): Promise<TeamView> {
    return this.db.transaction(async (m) => {
      const team = await this.get(teamId, m);
      assertBrand(caller, MANAGERS, team.brandId);
      const added = (await m.query(
        `INSERT INTO team_member (team_id, member, added_by, added_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING member`,
        [teamId, member, caller.name, this.clock.now()],
      )) as unknown[];
      if (added.length) await this.audit.record(m, { actor: caller, action: 'team.member_added', brandId: team.brandId, subject: teamId, data: { team: team.name, member } });
      return this.get(teamId, m);
    });
  }

  async removeMember(caller: Caller, teamId: string, member: string): Promise<TeamView> {
    return this.db.transaction(async (m) => {
      const team = await this.get(teamId, m);
      assertBrand(caller, MANAGERS, team.brandId);
      const [, removed] = await m.query(`DELETE FROM team_member WHERE team_id = $1 AND member = $2`, [teamId, member]);
      if (removed) await this.audit.record(m, { actor: caller, action: 'team.member_removed', brandId: team.brandId, subject: teamId, data: { team: team.name, member } });
      return this.get(teamId, m);
    });
  }

  async get(id: string, m: EntityManager = this.db.manager): Promise<TeamView> {
    const team = await m.findOne(Team, { where: { id }, relations: { members: true } });
    if (!team) throw new TeamNotFoundError(id);
    return view(team);
  }

  // The team a case of the brand may be handed to.
  async ofBrand(id: string, brandId: string, m: EntityManager): Promise<TeamView> {
    const team = await this.get(id, m);
    if (team.brandId !== brandId) throw new TeamOtherBrandError(id, brandId);
    return team;
  }

  async names(ids: string[]): Promise<Map<string, string>> {
    const teams = ids.length ? await this.db.getRepository(Team).findBy({ id: In(ids) }) : [];
    return new Map(teams.map((t) => [t.id, t.name]));
  }
}

function view(team: Team): TeamView {
  return { id: team.id, brandId: team.brandId, name: team.name, members: (team.members ?? []).map((m: TeamMember) => m.member).sort(), createdAt: team.createdAt };
}
