import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, OneToMany, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';

// A group of a brand's care team (billing, escalations): a case can be handed to it.
@Entity('team')
@Unique('uq_team_brand_name', ['brandId', 'name'])
export class Team {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  brandId: string;

  @Column('text')
  name: string;

  @OneToMany(() => TeamMember, (member) => member.team)
  members?: TeamMember[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

// A member by the name cases are claimed with (a user's or a token's name).
@Entity('team_member')
export class TeamMember {
  @PrimaryColumn('uuid')
  teamId: string;

  @ManyToOne(() => Team, (team) => team.members, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'team_id' })
  team?: Team;

  @PrimaryColumn('text')
  member: string;

  @Column('text')
  addedBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  addedAt: Date;
}
