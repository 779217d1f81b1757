import { Column, Entity, Index, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { Post } from '../sources/post.entity.js';

// A care team's correction of what the analysis said of a post: the labels a brand's model is
// retrained from. One per post; a later correction replaces an earlier one.
@Entity('post_label')
@Index('ix_post_label_brand_at', ['brandId', 'labelledAt'])
export class PostLabel {
  @PrimaryColumn('uuid')
  postId: string;

  @OneToOne(() => Post, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'post_id' })
  post?: Post;

  @Column('text')
  brandId: string;

  // Null: the correction says nothing about it.
  @Column('boolean', { nullable: true })
  isComplaint: boolean | null;

  @Column('text', { nullable: true })
  topic: string | null;

  @Column('text')
  labelledBy: string;

  @Column('timestamptz')
  labelledAt: Date;
}
