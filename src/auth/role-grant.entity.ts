import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '../config/config.schema.js';
import { AppUser } from './user.entity.js';

// A role a user holds for one brand, or (brand_id null) for every brand. Each at most once:
// two partial unique indexes, as NULLs are distinct in a plain one.
@Entity('role_grant')
@Index('uq_role_grant_brand', ['userId', 'role', 'brandId'], { unique: true, where: '"brand_id" IS NOT NULL' })
@Index('uq_role_grant_every_brand', ['userId', 'role'], { unique: true, where: '"brand_id" IS NULL' })
@Check('ck_role_grant_role', `"role" IN ('agent', 'approver', 'manager', 'admin')`)
export class RoleGrant {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  userId: string;

  @ManyToOne(() => AppUser, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: AppUser;

  @Column('text')
  role: Role;

  @Column('text', { nullable: true })
  brandId: string | null;

  @Column('text')
  grantedBy: string;

  @Column('timestamptz')
  grantedAt: Date;
}
