import { AppError, NotFoundError } from '../../../common/app-error.js';
import type { SignatureRefusal } from './webhook-signature.js';

// The same answer for an unknown id and for a source of another type: the URL reveals no other source.
export class WebhookSourceNotFoundError extends NotFoundError {
  constructor(sourceId: string) {
    super('WEBHOOK.SOURCE_NOT_FOUND', `No webhook source ${sourceId}`);
  }
}

export class WebhookRefusedError extends AppError {
  readonly status = 401;
  constructor(
    readonly code: SignatureRefusal,
    reason: string,
  ) {
    super(`Delivery refused: ${reason}`);
  }
}

export class WebhookContentTypeError extends AppError {
  readonly code = 'WEBHOOK.CONTENT_TYPE';
  readonly status = 415;
  constructor() {
    super('A delivery is a JSON body sent with Content-Type: application/json');
  }
}
