import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import { AuditService, SYSTEM } from '../audit/audit.service.js';
import { assertBrand, brandsFor, type Caller } from '../auth/caller.js';
import { MANAGERS, READERS } from '../auth/roles.decorator.js';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { LANGUAGES, TEMPLATE_KINDS, TEMPLATE_VARIABLES } from '../config/config.schema.js';
import { BrandNotFoundError, UnknownTemplateVariablesError } from './reply-errors.js';
import { ReplyTemplate } from './reply-template.entity.js';
import { unknownVariables } from './reply-templates.js';
import type { ReplyKind } from './reply.entity.js';

// Each brand's templates live in the database, seeded from the template files and edited by the
// brand's managers.
@Injectable()
export class ReplyTemplatesService implements OnApplicationBootstrap {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.seed();
  }

  // Every (brand, kind, language) the database does not hold yet gets the file's text; a template
  // a manager edited stays as it is. Two instances starting at once insert each row once.
  async seed(): Promise<number> {
    const rows = this.config.brands.flatMap((b) => TEMPLATE_KINDS.flatMap((kind) => LANGUAGES.map((language) => ({ brandId: b.id, kind, language }))));
    if (!rows.length) return 0;
    const inserted: unknown[] = await this.db.query(
      `INSERT INTO reply_template (brand_id, kind, language, text, updated_by, updated_at)
       SELECT t.brand_id, t.kind, t.language, t.text, $5, $6 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(brand_id, kind, language, text)
       ON CONFLICT DO NOTHING RETURNING brand_id`,
      [rows.map((r) => r.brandId), rows.map((r) => r.kind), rows.map((r) => r.language), rows.map((r) => this.config.templates[r.language][r.kind]), SYSTEM.name, this.clock.now()],
    );
    return inserted.length;
  }

  // The templates of the caller's brands, or of the one brand asked for.
  async list(caller: Caller, brandId?: string) {
    if (brandId) {
      this.brand(brandId);
      assertBrand(caller, READERS, brandId);
    }
    const brands = brandsFor(caller, READERS);
    const ids = brandId ? [brandId] : brands === 'all' ? this.config.brands.map((b) => b.id) : brands;
    const rows = ids.length ? await this.db.getRepository(ReplyTemplate).findBy({ brandId: In(ids) }) : [];
    const order = (t: ReplyTemplate) => [t.brandId, String(TEMPLATE_KINDS.indexOf(t.kind)), t.language].join('\u0000');
    return { variables: TEMPLATE_VARIABLES, items: rows.sort((a, b) => order(a).localeCompare(order(b))) };
  }

  // A manager of the brand rewrites a template; the audit keeps the text before and after.
  async update(caller: Caller, brandId: string, kind: ReplyKind, language: string, text: string): Promise<ReplyTemplate> {
    this.brand(brandId);
    assertBrand(caller, MANAGERS, brandId);
    const unknown = unknownVariables(text);
    if (unknown.length) throw new UnknownTemplateVariablesError(unknown, TEMPLATE_VARIABLES);
    return this.db.transaction(async (m) => {
      const before = await m.findOne(ReplyTemplate, { where: { brandId, kind, language }, lock: { mode: 'pessimistic_write' } });
      const row = m.create(ReplyTemplate, { brandId, kind, language, text, updatedBy: caller.name, updatedAt: this.clock.now() });
      await m.save(row);
      await this.audit.record(m, {
        actor: caller,
        action: 'settings.changed',
        brandId,
        subject: `template:${brandId}/${kind}/${language}`,
        data: { setting: 'reply_template', kind, language, before: before?.text ?? null, after: text },
      });
      return row;
    });
  }

  // The brand's text for a kind of reply in a language, before its variables are filled in.
  async textFor(brandId: string, kind: ReplyKind, language: string, m: EntityManager = this.db.manager): Promise<string> {
    const row = await m.findOneBy(ReplyTemplate, { brandId, kind, language });
    if (row) return row.text;
    const files = this.config.templates[language] ?? this.config.templates[this.brand(brandId).defaultLanguage];
    return files[kind];
  }

  private brand(id: string) {
    const brand = this.config.brands.find((b) => b.id === id);
    if (!brand) throw new BrandNotFoundError(id);
    return brand;
  }
}
