import { createHash } from 'node:crypto';
import type { AxiosInstance, AxiosResponse } from 'axios';
import type { Clock } from '../../../common/clock.js';
import { ConnectorError } from '../../connector-error.js';
import type { CredentialStore } from '../../source-credentials.js';
import { X_WINDOW_MS, readRateLimit } from './x-rate-limit.js';
import type { XTokenResponse } from './x.types.js';

const TOKEN_PATH = '/2/oauth2/token';
// Renewed this long before X says the access token ends, so no request carries a dying one.
const RENEW_EARLY_MS = 5 * 60_000;

export interface XSecrets {
  accessToken: string;
  refreshToken?: string;
  clientId?: string;
  clientSecret?: string;
}

interface Tokens {
  accessToken: string;
  refreshToken: string | null;
  // Epoch ms, known once X has issued a token to Paradox itself.
  expiresAt: number | null;
}

// The brand account's OAuth 2.0 user tokens. The access token lasts two hours; with a refresh
// token and the app's client id Paradox renews it (POST /2/oauth2/token) when X refuses it, or
// just before it ends. X rotates the refresh token on every renewal and the old one stops
// working, so the newest pair goes to the credential store (source_state.credentials): a restart
// goes on with it rather than with the spent one in the environment. A stored pair counts only
// while the configured refresh token is the one it descends from: an operator who authorises
// the app again and sets a new refresh token starts a new chain.
export class XTokens {
  private tokens: Promise<Tokens> | null = null;
  private renewing: Promise<Tokens> | null = null;
  // Issued by X but not yet in the store (the database was away): written before the next request.
  private unsaved: Tokens | null = null;
  private readonly origin: string | null;

  constructor(
    private readonly http: AxiosInstance,
    private readonly secrets: XSecrets,
    private readonly store: CredentialStore,
    private readonly clock: Clock,
  ) {
    this.origin = secrets.refreshToken ? createHash('sha256').update(secrets.refreshToken).digest('hex').slice(0, 16) : null;
  }

  get renewable(): boolean {
    return !!(this.secrets.refreshToken && this.secrets.clientId);
  }

  // The access token to send now.
  async current(): Promise<string> {
    const tokens = await this.load();
    if (this.unsaved) await this.save(this.unsaved);
    if (this.renewable && tokens.expiresAt !== null && tokens.expiresAt - RENEW_EARLY_MS <= this.clock.now().getTime()) {
      return this.renew(tokens.accessToken);
    }
    return tokens.accessToken;
  }

  // X refused `refused`: the token to try instead. One renewal at a time; a request that was
  // refused the old token while another renewed it gets the new one without renewing again.
  async renew(refused: string): Promise<string> {
    if (!this.renewable) throw new ConnectorError('AUTH_EXPIRED', 'X refused the access token; no refresh token and client id are configured to renew it');
    this.renewing ??= this.refresh(refused).finally(() => (this.renewing = null));
    return (await this.renewing).accessToken;
  }

  private async refresh(refused: string): Promise<Tokens> {
    const held = await this.load();
    if (held.accessToken !== refused) return held;
    // Another process on the same database may have renewed already: its pair is the live one.
    const stored = await this.stored();
    if (stored && stored.accessToken !== refused) return this.hold(stored);
    const refreshToken = stored?.refreshToken ?? held.refreshToken;
    const answer = await this.requestTokens(refreshToken!);
    const tokens: Tokens = {
      accessToken: answer.access_token!,
      refreshToken: answer.refresh_token ?? refreshToken,
      expiresAt: typeof answer.expires_in === 'number' ? this.clock.now().getTime() + answer.expires_in * 1000 : null,
    };
    this.hold(tokens);
    await this.save(tokens);
    return tokens;
  }

  private async requestTokens(refreshToken: string): Promise<XTokenResponse> {
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken });
    const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
    // A confidential client authenticates with Basic; a public one names itself in the form.
    if (this.secrets.clientSecret) headers.Authorization = `Basic ${Buffer.from(`${this.secrets.clientId}:${this.secrets.clientSecret}`).toString('base64')}`;
    else form.set('client_id', this.secrets.clientId!);
    let response: AxiosResponse<string>;
    try {
      response = await this.http.post(TOKEN_PATH, form.toString(), { headers });
    } catch (error) {
      throw new ConnectorError('TEMPORARY', `POST ${TOKEN_PATH}: ${(error as Error).message}`);
    }
    const status = response.status;
    const answer = parse(response.data);
    const what = `POST ${TOKEN_PATH}: HTTP ${status}`;
    if (status === 429) throw new ConnectorError('RATE_LIMITED', what, readRateLimit(response.headers as Record<string, unknown>)?.resetAt ?? new Date(Date.now() + X_WINDOW_MS));
    if (status >= 500 || status === 408) throw new ConnectorError('TEMPORARY', what);
    // X answers a spent, revoked or unknown refresh token with 400 invalid_request.
    if (status >= 400) throw new ConnectorError('AUTH_EXPIRED', `${what}: X refused the refresh token (${answer?.error ?? 'no reason given'})`);
    if (typeof answer?.access_token !== 'string' || !answer.access_token) throw new ConnectorError('BAD_RESPONSE', `${what}: no access token in the answer`);
    return answer;
  }

  private load(): Promise<Tokens> {
    this.tokens ??= this.stored().then(
      (stored) => stored ?? { accessToken: this.secrets.accessToken, refreshToken: this.secrets.refreshToken ?? null, expiresAt: null },
    );
    this.tokens.catch(() => (this.tokens = null));
    return this.tokens;
  }

  private hold(tokens: Tokens): Tokens {
    this.tokens = Promise.resolve(tokens);
    return tokens;
  }

  private async stored(): Promise<Tokens | null> {
    if (!this.renewable) return null;
    let credentials: Record<string, string> | null;
    try {
      credentials = await this.store.read();
    } catch (error) {
      throw new ConnectorError('TEMPORARY', `the stored X credentials cannot be read: ${(error as Error).message}`);
    }
    if (!credentials || credentials.origin !== this.origin || !credentials.accessToken || !credentials.refreshToken) return null;
    const expiresAt = Number(credentials.expiresAt);
    return { accessToken: credentials.accessToken, refreshToken: credentials.refreshToken, expiresAt: Number.isFinite(expiresAt) && credentials.expiresAt ? expiresAt : null };
  }

  private async save(tokens: Tokens): Promise<void> {
    this.unsaved = tokens;
    try {
      await this.store.write({
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken ?? '',
        expiresAt: tokens.expiresAt === null ? '' : String(tokens.expiresAt),
        origin: this.origin ?? '',
      });
      if (this.unsaved === tokens) this.unsaved = null;
    } catch (error) {
      throw new ConnectorError('TEMPORARY', `the renewed X credentials cannot be stored: ${(error as Error).message}`);
    }
  }
}

function parse(text: string): XTokenResponse | null {
  try {
    const value = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as XTokenResponse) : null;
  } catch {
    return null;
  }
}
