import { AppError, ConflictError, NotFoundError } from '../common/app-error.js';

export class ReplyTooLongError extends AppError {
  readonly code = 'REPLY.TOO_LONG';
  readonly status = 400;
  constructor(length: number, max: number) {
    super(`text: ${length} characters, the channel allows ${max}`, { field: 'text', max });
  }
}

export class AlreadyAcknowledgedError extends ConflictError {
  constructor() {
    super('CASE.ALREADY_ACKNOWLEDGED', 'This case already has an acknowledgement');
  }
}

export class ReplyNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('REPLY.NOT_FOUND', `No reply ${id}`);
  }
}

export class ReplyNotFailedError extends ConflictError {
  constructor(status: string) {
    super('REPLY.NOT_FAILED', `Only a failed reply can be retried; this one is ${status}`, { status });
  }
}

export class ReplyNotManualError extends ConflictError {
  constructor(status: string, manual: boolean) {
    super(
      'REPLY.NOT_MANUAL',
      manual ? `Only a reply still waiting to be posted by hand can be recorded; this one is ${status}` : 'Paradox posts this reply itself; it cannot be recorded by hand',
      { status, manual },
    );
  }
}

export class ReplyNotDueError extends ConflictError {
  constructor(dueAt: Date) {
    super('REPLY.NOT_DUE', `This reply is due at ${dueAt.toISOString()}; post it then`, { dueAt });
  }
}

export class ScriptedApologyError extends ConflictError {
  constructor() {
    super(
      'REPLY.SCRIPTED_APOLOGY',
      'This customer was let down before: the scripted apology would ring hollow. Write the apology in your own words, saying it went wrong again and what you will do differently.',
    );
  }
}

export class OwnReplyError extends ConflictError {
  constructor() {
    super('APPROVAL.OWN_REPLY', 'Nobody approves or rejects their own reply: another approver decides');
  }
}

export class ReplyAlreadyApprovedError extends ConflictError {
  constructor(by: string | null) {
    super('REPLY.ALREADY_APPROVED', `This reply was already approved${by ? ` by ${by}` : ''}`, { approvedBy: by });
  }
}

export class ReplyAlreadyRejectedError extends ConflictError {
  constructor(by: string | null) {
    super('REPLY.ALREADY_REJECTED', `This reply was already rejected${by ? ` by ${by}` : ''}`, { rejectedBy: by });
  }
}

export class ReplyNotPendingError extends ConflictError {
  constructor(status: string) {
    super('REPLY.NOT_PENDING', `Only a reply waiting for approval can be approved or rejected; this one is ${status} and needed none`, { status });
  }
}

export class UnknownTemplateVariablesError extends AppError {
  readonly code = 'TEMPLATE.UNKNOWN_VARIABLE';
  readonly status = 400;
  constructor(variables: string[], known: readonly string[]) {
    super(`text: unknown ${variables.map((v) => `{${v}}`).join(', ')}; a template may use ${known.map((v) => `{${v}}`).join(', ')}`, {
      field: 'text',
      variables,
    });
  }
}

export class BrandNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('BRAND.NOT_FOUND', `No brand ${id}`);
  }
}
