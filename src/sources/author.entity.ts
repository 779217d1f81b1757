import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

@Entity('author')
@Unique('uq_author_platform_external_id', ['platform', 'externalId'])
export class Author {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  platform: string;

  @Column('text')
  externalId: string;

  @Column('text')
  handle: string;

  @Column('text', { nullable: true })
  displayName: string | null;

  @Column('integer', { nullable: true })
  followers: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  firstSeenAt: Date;
}
