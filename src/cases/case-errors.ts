import { BadRequestError, ConflictError, NotFoundError } from '../common/app-error.js';

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
  constructor(claimedBy: string | null = null) {
    super('CASE.NOT_HOLDER', 'Only the agent holding the case (or a manager) can do this', { claimedBy });
  }
}

export class CaseStateError extends ConflictError {
  constructor(status: string, action: string) {
    super('CASE.INVALID_STATE', `A case that is ${status} cannot be ${action}`, { status });
  }
}

export class AlreadyHolderError extends ConflictError {
  constructor(holder: string) {
    super('CASE.ALREADY_HOLDER', `${holder} already holds the case`, { claimedBy: holder });
  }
}

export class NotSameCustomerError extends ConflictError {
  constructor(caseId: string, intoCaseId: string) {
    super('CASE.NOT_SAME_CUSTOMER', `Case ${caseId} is not of the same customer and brand as case ${intoCaseId}`, { caseId, intoCaseId });
  }
}

export class MergeIntoItselfError extends BadRequestError {
  constructor(caseId: string) {
    super('CASE.MERGE_INTO_ITSELF', `Case ${caseId} cannot be merged into itself`, { field: 'caseIds', caseId });
  }
}

export class TeamNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('TEAM.NOT_FOUND', `No team ${id}`);
  }
}

export class TeamNameTakenError extends ConflictError {
  constructor(brandId: string, name: string) {
    super('TEAM.NAME_TAKEN', `The brand ${brandId} already has a team named ${name}`, { brandId, name });
  }
}

export class TeamOtherBrandError extends ConflictError {
  constructor(teamId: string, brandId: string) {
    super('TEAM.OTHER_BRAND', `Team ${teamId} is not a team of the brand ${brandId}`, { teamId, brandId });
  }
}

export class NotTeamMemberError extends ConflictError {
  constructor(teamId: string, member: string) {
    super('TEAM.NOT_MEMBER', `${member} is not a member of team ${teamId}`, { teamId, member });
  }
}

export class BrandNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('BRAND.NOT_FOUND', `No brand ${id}`);
  }
}
