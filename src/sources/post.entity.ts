import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { PostAnalysis } from '../analysis/post-analysis.entity.js';
import { Author } from './author.entity.js';

@Entity('post')
@Unique('uq_post_platform_external_id', ['platform', 'externalId'])
@Index('ix_post_brand_posted_at', ['brandId', 'postedAt'])
// The source's recent traffic, for the silent-channel alert.
@Index('ix_post_source_fetched_at', ['sourceId', 'fetchedAt'])
// A customer's posts on their profile, and the authors a brand has seen, for link suggestions.
@Index('ix_post_author_posted_at', ['authorId', 'postedAt'])
export class Post {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  brandId: string;

  @Column('text')
  sourceId: string;

  @Column('text')
  platform: string;

  @Column('text')
  externalId: string;

  @Column('uuid')
  authorId: string;

  @ManyToOne(() => Author, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'author_id' })
  author?: Author;

  @Column('text', { nullable: true })
  url: string | null;

  @Column('text')
  text: string;

  // As the platform declared it; the analysed language is analysis.language.
  @Column('text', { nullable: true })
  declaredLanguage: string | null;

  @Column('text')
  visibility: string;

  @Column('timestamptz')
  postedAt: Date;

  @Column('timestamptz')
  fetchedAt: Date;

  @Column('text', { nullable: true })
  inReplyToExternalId: string | null;

  @Column('text')
  rootExternalId: string;

  @Column('jsonb')
  raw: unknown;

  @Column(() => PostAnalysis, { prefix: 'analysis' })
  analysis: PostAnalysis;
}
