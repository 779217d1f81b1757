import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ReplyKind } from './reply.entity.js';

// A brand's template for one kind of reply in one language: seeded from the template files,
// then edited by the brand's managers. The key is the triple, so there is one of each.
@Entity('reply_template')
export class ReplyTemplate {
  @PrimaryColumn('text')
  brandId: string;

  @PrimaryColumn('text')
  kind: ReplyKind;

  @PrimaryColumn('text')
  language: string;

  @Column('text')
  text: string;

  // Who last changed it; 'paradox' for a text seeded from the files.
  @Column('text')
  updatedBy: string;

  @Column('timestamptz')
  updatedAt: Date;
}
