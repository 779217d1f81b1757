import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { Post } from '../sources/post.entity.js';

@Entity('post_analysis')
export class PostAnalysis {
  @PrimaryColumn('uuid')
  postId: string;

  @OneToOne(() => Post, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'post_id' })
  post?: Post;

  @Column('text')
  language: string;

  @Column('real')
  sentimentScore: number;

  @Column('text')
  sentimentLabel: string;

  @Column('real')
  complaintProbability: number;

  @Column('boolean')
  isComplaint: boolean;

  // The cues that decided it, shown to the agent.
  @Column('jsonb')
  why: string[];

  @Column('text', { default: 'other' })
  topic: string;

  @Column('text', { default: 'low' })
  severity: string;

  // What raised the severity: 'money lost', 'threat to leave'.
  @Column('jsonb', { default: [] })
  severityWhy: string[];

  @Column('boolean', { default: false })
  abusive: boolean;

  @Column('text', { default: 'other' })
  intent: string;

  @Column('text')
  modelVersion: string;

  @Column('timestamptz')
  analysedAt: Date;
}
