import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

// One person for a brand, across the channels they write on: their authors are linked to it.
@Entity('customer')
export class Customer {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  brandId: string;

  @Column('text')
  displayName: string;

  @Column('timestamptz')
  createdAt: Date;
}
