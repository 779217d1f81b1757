import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type { Grant } from '../../src/auth/caller.js';
import { type UserView, UsersService } from '../../src/auth/users.service.js';
import type { TestApp } from './test-app.js';

export const PASSWORD = 'correct horse battery staple';

// A user with the password given (not a temporary one), as `paradox user:create --password-stdin` makes it.
export async function addUser(t: TestApp, name: string, grants: Grant[], password = PASSWORD): Promise<UserView> {
  const { user } = await t.app.get(UsersService).createFromCommandLine({ name, email: `${name}@example.test`, displayName: name, grants, password });
  return user;
}

export interface SignedInClient {
  // Sends the session cookie, and the CSRF token on every request.
  client: AxiosInstance;
  // The same cookie without the CSRF token.
  withoutCsrf: AxiosInstance;
  cookie: string;
  csrfToken: string;
  response: AxiosResponse;
}

// Signs in through the API and keeps the cookies it set, the way a browser would.
export async function signIn(t: TestApp, login: { email?: string; name?: string }, password = PASSWORD, headers: Record<string, string> = {}): Promise<SignedInClient> {
  const response = await t.anonymous.post('/auth/sign-in', { ...login, password }, { headers });
  if (response.status !== 200) throw new Error(`sign-in ${JSON.stringify(login)}: ${response.status} ${JSON.stringify(response.data)}`);
  return sessionClient(t, response);
}

export function sessionClient(t: TestApp, response: AxiosResponse): SignedInClient {
  const cookie = (response.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
  const csrfToken = response.data.csrfToken as string;
  const make = (extra: Record<string, string>) => axios.create({ baseURL: t.url, validateStatus: () => true, headers: { Cookie: cookie, ...extra } });
  return { client: make({ 'X-CSRF-Token': csrfToken }), withoutCsrf: make({}), cookie, csrfToken, response };
}

export function bearer(t: TestApp, token: string): AxiosInstance {
  return axios.create({ baseURL: t.url, validateStatus: () => true, headers: { Authorization: `Bearer ${token}` } });
}
