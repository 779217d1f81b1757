import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Case } from '../cases/case.entity.js';
import { Customer } from './customer.entity.js';

// What a colleague wrote down about a case or a customer, for the next one who answers. Plain
// text as written: it is never rendered as markup.
@Entity('note')
@Index('ix_note_case_created', ['caseId', 'createdAt'])
@Index('ix_note_customer_created', ['customerId', 'createdAt'])
@Check('ck_note_about_one', `(case_id IS NULL) <> (customer_id IS NULL)`)
export class Note {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  brandId: string;

  @Column('uuid', { nullable: true })
  caseId: string | null;

  @ManyToOne(() => Case, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  case?: Case;

  @Column('uuid', { nullable: true })
  customerId: string | null;

  @ManyToOne(() => Customer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id' })
  customer?: Customer;

  @Column('text')
  text: string;

  // The caller's name, and id (a user's, or token:<name>).
  @Column('text')
  writtenBy: string;

  @Column('text')
  writtenById: string;

  @Column('timestamptz')
  createdAt: Date;
}
