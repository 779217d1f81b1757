import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { assertBrand, type Caller } from '../auth/caller.js';
import { WORKERS } from '../auth/roles.decorator.js';
import { Clock } from '../common/clock.js';
import { Post } from '../sources/post.entity.js';
import { EmptyLabelError, PostNotFoundError } from './analysis-errors.js';
import type { PostLabelBody } from './post-label.dto.js';
import { PostLabel } from './post-label.entity.js';
import type { Topic } from './topic-cues.js';

export interface LabelledPost {
  text: string;
  lang: string | null;
  complaint: boolean | null;
  topic: Topic | null;
}

@Injectable()
export class PostLabelsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  // An agent's correction; a second one on the same post replaces the first.
  async label(postId: string, body: PostLabelBody, caller: Caller): Promise<PostLabel> {
    if (body.complaint === undefined && body.topic === undefined) throw new EmptyLabelError();
    const post = await this.db.getRepository(Post).findOneBy({ id: postId });
    if (!post) throw new PostNotFoundError(postId);
    assertBrand(caller, WORKERS, post.brandId);
    const label = {
      postId,
      brandId: post.brandId,
      isComplaint: body.complaint ?? null,
      topic: body.topic ?? null,
      labelledBy: caller.name,
      labelledAt: this.clock.now(),
    };
    await this.db.transaction(async (m) => {
      await m.getRepository(PostLabel).upsert(label, ['postId']);
      await this.audit.record(m, { actor: caller, action: 'post.labelled', brandId: post.brandId, subject: postId, data: { complaint: label.isComplaint, topic: label.topic } });
    });
    return Object.assign(new PostLabel(), label);
  }

  // The posts of cases dismissed as noise: not complaints. Set-based, in the caller's transaction
  // (the dismissal's audit entry names them); a topic corrected earlier is kept.
  async markNotComplaints(m: EntityManager, postIds: readonly string[], caller: Caller): Promise<string[]> {
    if (!postIds.length) return [];
    const rows = (await m.query(
      `INSERT INTO post_label (post_id, brand_id, is_complaint, topic, labelled_by, labelled_at)
       SELECT p.id, p.brand_id, false, NULL, $2, $3 FROM post p WHERE p.id = ANY($1::uuid[])
       ON CONFLICT (post_id) DO UPDATE SET is_complaint = false, labelled_by = excluded.labelled_by, labelled_at = excluded.labelled_at
       RETURNING post_id`,
      [postIds, caller.name, this.clock.now()],
    )) as { post_id: string }[];
    return rows.map((r) => r.post_id);
  }

  async forBrand(brandId: string): Promise<LabelledPost[]> {
    const rows = await this.db
      .getRepository(PostLabel)
      .createQueryBuilder('l')
      .innerJoinAndSelect('l.post', 'p')
      .where('l.brandId = :brandId', { brandId })
      .orderBy('l.labelledAt', 'ASC')
      .getMany();
    return rows.map((l) => ({ text: l.post!.text, lang: l.post!.declaredLanguage, complaint: l.isComplaint, topic: l.topic as Topic | null }));
  }

  // How many labels each brand has, and the newest: retraining waits for something new.
  async summary(): Promise<Map<string, { count: number; newest: Date }>> {
    const rows: { brand_id: string; count: string; newest: Date }[] = await this.db.query(
      'SELECT brand_id, count(*) AS count, max(labelled_at) AS newest FROM post_label GROUP BY brand_id',
    );
    return new Map(rows.map((r) => [r.brand_id, { count: Number(r.count), newest: new Date(r.newest) }]));
  }
}
