import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { assertBrand, type Caller } from '../auth/caller.js';
import { WORKERS } from '../auth/roles.decorator.js';
import { CaseNotFoundError } from '../cases/case-errors.js';
import { Case } from '../cases/case.entity.js';
import { caseReference } from '../common/case-reference.js';
import { Clock } from '../common/clock.js';
import { CustomerNotFoundError } from './customer-errors.js';
import { Customer } from './customer.entity.js';
import { Note } from './note.entity.js';

interface NoteRow {
  id: string;
  case_id: string | null;
  customer_id: string | null;
  text: string;
  written_by: string;
  created_at: Date;
  number: number | null;
}

// The record colleagues leave for the next one who answers: on a case, or on the customer.
@Injectable()
export class NotesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  async addToCase(caller: Caller, caseId: string, text: string) {
    return this.db.transaction(async (m) => {
      const c = await m.findOneBy(Case, { id: caseId });
      if (!c) throw new CaseNotFoundError(caseId);
      assertBrand(caller, WORKERS, c.brandId);
      return this.add(caller, m, { brandId: c.brandId, caseId, customerId: null }, text, c.number);
    });
  }

  async addToCustomer(caller: Caller, customerId: string, text: string) {
    return this.db.transaction(async (m) => {
      const customer = await m.findOneBy(Customer, { id: customerId });
      if (!customer) throw new CustomerNotFoundError(customerId);
      assertBrand(caller, WORKERS, customer.brandId);
      return this.add(caller, m, { brandId: customer.brandId, caseId: null, customerId }, text, null);
    });
  }

  private async add(caller: Caller, m: EntityManager, about: Pick<Note, 'brandId' | 'caseId' | 'customerId'>, text: string, number: number | null) {
    const note = await m.save(m.create(Note, { ...about, text, writtenBy: caller.name, writtenById: caller.id, createdAt: this.clock.now() }));
    await this.audit.record(m, {
      actor: caller,
      action: 'note.added',
      brandId: about.brandId,
      caseId: about.caseId,
      subject: about.customerId ? `customer:${about.customerId}` : null,
      data: { noteId: note.id, text },
    });
    return noteView({ id: note.id, case_id: note.caseId, customer_id: note.customerId, text: note.text, written_by: note.writtenBy, created_at: note.createdAt, number });
  }

  // A case's notes and its customer's, newest first: what to read before answering.
  async forCase(c: Pick<Case, 'id' | 'customerId'>, m: EntityManager = this.db.manager) {
    const rows: NoteRow[] = await m.query(
      `SELECT n.id, n.case_id, n.customer_id, n.text, n.written_by, n.created_at, c.number
       FROM note n LEFT JOIN "case" c ON c.id = n.case_id
       WHERE n.case_id = $1 OR n.customer_id = $2 ORDER BY n.created_at DESC, n.id`,
      [c.id, c.customerId],
    );
    return rows.map(noteView);
  }

  // The customer's notes and those on each of their cases, newest first.
  async forCustomer(customerId: string, m: EntityManager = this.db.manager) {
    const rows: NoteRow[] = await m.query(
      `SELECT n.id, n.case_id, n.customer_id, n.text, n.written_by, n.created_at, c.number
       FROM note n LEFT JOIN "case" c ON c.id = n.case_id
       WHERE n.customer_id = $1 OR c.customer_id = $1 ORDER BY n.created_at DESC, n.id`,
      [customerId],
    );
    return rows.map(noteView);
  }
}

function noteView(row: NoteRow) {
  return {
    id: row.id,
    about: row.case_id ? ('case' as const) : ('customer' as const),
    caseId: row.case_id,
    caseReference: row.number === null ? null : caseReference(row.number),
    customerId: row.customer_id,
    text: row.text,
    writtenBy: row.written_by,
    createdAt: row.created_at,
  };
}
