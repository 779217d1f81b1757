import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

// A person who signs in. The name is the login and the actor shown on cases and in the audit;
// it never holds ':' so it cannot be mistaken for a token's actor (token:<name>).
@Entity('app_user')
@Index('uq_app_user_name', ['name'], { unique: true })
@Index('uq_app_user_email', ['email'], { unique: true })
@Check('ck_app_user_name', `"name" ~ '^[a-z0-9][a-z0-9._-]*$'`)
// Stored lowercased, so the unique index is case-insensitive.
@Check('ck_app_user_email_lowercase', `"email" = lower("email")`)
export class AppUser {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('text')
  email: string;

  @Column('text')
  displayName: string;

  // argon2id, with its parameters and salt (PHC string format).
  @Column('text')
  passwordHash: string;

  // Set for a password someone else chose or generated: it must be changed before anything else.
  @Column('boolean', { default: false })
  passwordChangeRequired: boolean;

  @Column('timestamptz')
  passwordChangedAt: Date;

  @Column('boolean', { default: true })
  active: boolean;

  @Column('timestamptz')
  createdAt: Date;

  @Column('timestamptz')
  updatedAt: Date;
}
