export type ConnectorErrorCode = 'RATE_LIMITED' | 'AUTH_EXPIRED' | 'TEMPORARY' | 'BAD_RESPONSE';

// Every platform failure becomes one of these; ConnectorPolicy decides what follows.
export class ConnectorError extends Error {
  constructor(
    readonly code: ConnectorErrorCode,
    message: string,
    readonly resetAt: Date | null = null,
  ) {
    super(message);
    this.name = 'ConnectorError';
  }
}
