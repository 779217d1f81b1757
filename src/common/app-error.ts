// Domain errors carry a stable code; AppErrorFilter maps them to HTTP.
export abstract class AppError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
  // Response headers the answer needs, such as Retry-After.
  readonly headers: Record<string, string> = {};
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export class NotFoundError extends AppError {
  readonly status = 404;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class ConflictError extends AppError {
  readonly status = 409;
  constructor(
    readonly code: string,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(message, details);
  }
}

export class BadRequestError extends AppError {
  readonly status = 400;
  constructor(
    readonly code: string,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(message, details);
  }
}
