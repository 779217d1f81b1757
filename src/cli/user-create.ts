import { parseArgs } from 'node:util';
import { isEmail } from 'class-validator';
import { AuditService } from '../audit/audit.service.js';
import { AppError } from '../common/app-error.js';
import type { Grant } from '../auth/caller.js';
import { SignInAttemptsService } from '../auth/sign-in-attempts.service.js';
import { USER_NAME, UsersService } from '../auth/users.service.js';
import { SystemClock } from '../common/clock.js';
import { ConfigError, loadConfig } from '../config/config.loader.js';
import { ROLES, type Role } from '../config/config.schema.js';
import { openDatabase } from '../database/open-database.js';

export const USER_CREATE_USAGE = `usage:
  paradox user:create --admin --name NAME --email EMAIL [--display-name TEXT] [--password-stdin]
  paradox user:create --role ROLE [--brand ID]... --name NAME --email EMAIL [--display-name TEXT] [--password-stdin]

  --admin            admin for every brand (the first admin)
  --role ROLE        agent, approver, manager or admin: for each --brand, or for every brand without one
  --password-stdin   read the password from stdin; without it a temporary password is printed once
                     and must be changed at the first sign-in
`;

export interface CommandIo {
  // The process's environment when left out, read by the config loader.
  env?: Record<string, string | undefined>;
  cwd: string;
  stdin: AsyncIterable<Buffer | string>;
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

// `paradox user:create`: a user straight into the configured database, as the app would open it.
// The first admin comes from here, never from a default password.
export async function userCreate(args: string[], io: CommandIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        admin: { type: 'boolean', default: false },
        role: { type: 'string' },
        brand: { type: 'string', multiple: true, default: [] },
        name: { type: 'string' },
        email: { type: 'string' },
        'display-name': { type: 'string' },
        'password-stdin': { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n${USER_CREATE_USAGE}`);
    return 2;
  }
  const usage = (problem: string) => {
    io.stderr.write(`${problem}\n${USER_CREATE_USAGE}`);
    return 2;
  };
  if (!values.name || !USER_NAME.test(values.name)) return usage('--name: lowercase letters, digits and . _ - (at most 63)');
  if (!values.email || !isEmail(values.email)) return usage('--email: an email address');
  if (values.admin === (values.role !== undefined)) return usage('give --admin or --role, one of them');
  if (values.role !== undefined && !ROLES.includes(values.role as Role)) return usage(`--role: one of ${ROLES.join(', ')}`);
  if (values.admin && values.brand.length) return usage('--admin holds every brand: leave out --brand, or use --role admin --brand ID');
  const role = (values.role ?? 'admin') as Role;
  const grants: Grant[] = values.brand.length ? values.brand.map((brandId) => ({ role, brandId })) : [{ role, brandId: null }];

  let config;
  try {
    config = loadConfig(io.env, io.cwd);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(`${error.message}\n`);
    return 78;
  }
  const password = values['password-stdin'] ? await readPassword(io.stdin) : undefined;

  const db = await openDatabase(config);
  try {
    const clock = new SystemClock();
    const users = new UsersService(db.dataSource, clock, config, new AuditService(db.dataSource, clock), new SignInAttemptsService(db.dataSource, clock, config));
    const { user, temporaryPassword } = await users.createFromCommandLine({
      name: values.name,
      email: values.email,
      displayName: values['display-name'] ?? values.name,
      grants,
      password,
    });
    const roles = user.grants.map((g) => `${g.role} for ${g.brandId ?? 'every brand'}`).join(', ');
    io.stdout.write(`Created user ${user.name} (${user.id}): ${roles}.\n`);
    if (temporaryPassword) io.stdout.write(`Temporary password, shown once (to be changed at the first sign-in): ${temporaryPassword}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const fields = (error.details.fields as { field: string; problems: string[] }[] | undefined)?.map((f) => `${f.field}: ${f.problems.join('; ')}`);
    io.stderr.write(`paradox: ${fields?.join(' / ') ?? error.message} (${error.code})\n`);
    return 1;
  } finally {
    await db.close();
  }
}

// All of stdin, without the line break a shell's echo or a file adds at the end.
async function readPassword(stdin: AsyncIterable<Buffer | string>): Promise<string> {
  let text = '';
  for await (const chunk of stdin) text += chunk.toString();
  return text.replace(/\r?\n$/, '');
}
