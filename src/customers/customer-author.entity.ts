import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Author } from '../sources/author.entity.js';
import { Customer } from './customer.entity.js';

// Which customer of a brand an author is. The key makes an author belong to at most one customer
// of each brand.
@Entity('customer_author')
@Index('ix_customer_author_customer', ['customerId'])
export class CustomerAuthor {
  @PrimaryColumn('text')
  brandId: string;

  @PrimaryColumn('uuid')
  authorId: string;

  @ManyToOne(() => Author, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'author_id' })
  author?: Author;

  @Column('uuid')
  customerId: string;

  @ManyToOne(() => Customer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id' })
  customer?: Customer;

  @Column('timestamptz')
  linkedAt: Date;

  // The agent who linked the author, or 'paradox' for the customer made at intake.
  @Column('text')
  linkedBy: string;
}
