import { BadRequestError, ConflictError, NotFoundError } from '../common/app-error.js';

export class CustomerNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('CUSTOMER.NOT_FOUND', `No customer ${id}`);
  }
}

export class AuthorNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('AUTHOR.NOT_FOUND', `No author ${id} among the brand's posts`);
  }
}

export class AuthorNotLinkedError extends NotFoundError {
  constructor(authorId: string, customerId: string) {
    super('CUSTOMER.AUTHOR_NOT_LINKED', `The author ${authorId} is not linked to the customer ${customerId}`);
  }
}

export class AuthorAlreadyLinkedError extends ConflictError {
  constructor() {
    super('CUSTOMER.ALREADY_LINKED', 'The author is already linked to this customer');
  }
}

export class LastAuthorError extends ConflictError {
  constructor() {
    super('CUSTOMER.LAST_AUTHOR', "A customer keeps at least one author: link the author to another customer instead");
  }
}

export class NotificationNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('NOTIFICATION.NOT_FOUND', `No notification ${id}`);
  }
}

export class CompensationNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('COMPENSATION.NOT_FOUND', `No compensation ${id}`);
  }
}

export class CompensationDecidedError extends ConflictError {
  constructor(status: string) {
    super('COMPENSATION.ALREADY_DECIDED', `The compensation is already ${status}`, { status });
  }
}

export class CompensationAmountError extends BadRequestError {
  constructor(currency: string, digits: number) {
    super('COMPENSATION.AMOUNT', `amount: more than zero, in ${currency} with at most ${digits} decimals`, { field: 'amount', currency });
  }
}

export class CompensationCurrencyError extends BadRequestError {
  constructor(currency: string) {
    super('COMPENSATION.CURRENCY', `currency: the brand's goodwill budget is in ${currency}`, { field: 'currency', currency });
  }
}

export class BrandNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('BRAND.NOT_FOUND', `No brand ${id}`);
  }
}
