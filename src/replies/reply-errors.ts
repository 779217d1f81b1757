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
