import { AppError, NotFoundError } from '../../../common/app-error.js';

// The same answer for an unknown id, a source of another type and a feed without push: the URL
// reveals no other source.
export class WebSubSourceNotFoundError extends NotFoundError {
  constructor(sourceId: string) {
    super('WEBSUB.SOURCE_NOT_FOUND', `No feed source ${sourceId} takes WebSub pushes`);
  }
}

// WebSub 5.3: a subscriber that did not ask for the subscription answers the verification with 404.
export class IntentNotRequestedError extends NotFoundError {
  constructor() {
    super('WEBSUB.NOT_REQUESTED', 'Paradox did not ask for this subscription');
  }
}

// WebSub 7: 410 tells the hub that the subscription is gone.
export class NoSubscriptionError extends AppError {
  readonly code = 'WEBSUB.NO_SUBSCRIPTION';
  readonly status = 410;
  constructor() {
    super('There is no subscription for this source');
  }
}

export class PushTooLargeError extends AppError {
  readonly code = 'WEBSUB.TOO_LARGE';
  readonly status = 413;
  constructor(limit: number) {
    super(`A push is at most ${limit} bytes`);
  }
}
