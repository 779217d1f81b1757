import { BadRequestError, NotFoundError } from '../common/app-error.js';

export class PostNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('POST.NOT_FOUND', `No post ${id}`);
  }
}

export class EmptyLabelError extends BadRequestError {
  constructor() {
    super('LABEL.EMPTY', 'A correction names "complaint", "topic" or both', { fields: ['complaint', 'topic'] });
  }
}
