import { ConflictError, NotFoundError } from '../common/app-error.js';

export class CaseNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('CASE.NOT_FOUND', `No case ${id}`);
  }
}

export class CaseAlreadyClaimedError extends ConflictError {
  constructor(claimedBy: string, claimExpiresAt: Date | null) {
    super('CASE.ALREADY_CLAIMED', `The case is claimed by ${claimedBy}`, { claimedBy, claimExpiresAt });
  }
}

export class NotCaseHolderError extends ConflictError {
  constructor() {
    super('CASE.NOT_HOLDER', 'Only the agent holding the case can do this');
  }
}

export class CaseStateError extends ConflictError {
  constructor(status: string, action: string) {
    super('CASE.INVALID_STATE', `A case that is ${status} cannot be ${action}`, { status });
  }
}
