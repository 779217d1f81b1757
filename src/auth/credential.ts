import type { Request } from 'express';
import type { Caller } from './caller.js';

// How the caller proved who it is.
export type Credential =
  // sessionId is the cookie's secret value: held in memory for this request only.
  | { kind: 'session'; sessionId: string; userId: string; passwordChangeRequired: boolean; expiresAt: Date }
  | { kind: 'token'; tokenId: string; userId: string | null; expiresAt: Date | null }
  | { kind: 'config'; name: string };

export type AuthedRequest = Request & { caller: Caller; credential: Credential };
