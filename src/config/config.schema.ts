import { Transform, Type } from 'class-transformer';
import {
  ArrayUnique,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsTimeZone,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

export const LANGUAGES = ['en', 'nl'] as const;
export const ROLES = ['agent', 'approver', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];
// The reply kinds a brand keeps templates for (ReplyKind), and the variables a template may use:
// {name} is the older spelling of {firstName}, kept so existing template files still work.
export const TEMPLATE_KINDS = ['acknowledgement', 'apology', 'question', 'resolution', 'follow_up'] as const;
export const TEMPLATE_VARIABLES = ['firstName', 'name', 'caseRef', 'agentName', 'brand'] as const;
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const APPROVAL_MODES = ['none', 'all', 'first'] as const;
export const SOURCE_TYPES = ['mastodon', 'bluesky', 'x', 'reddit', 'rss', 'webhook', 'demo'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

const SLUG = /^[a-z0-9][a-z0-9-]*$/;

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
// "09:00-17:30": a span of one day in the brand's local time; 24:00 closes at midnight.
export const OPENING_SPAN = /^([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const SPAN_MESSAGE = { each: true, message: 'opening hours as "HH:MM-HH:MM"' };

// When the care team works; outside these hours the SLA clocks pause.
export class BusinessHoursConfig {
  // An IANA time zone (Europe/Amsterdam): the hours are local, summer time included.
  @IsTimeZone()
  timeZone: string;

  // Each weekday's open spans; a day left out (or empty) is closed.
  @IsOptional() @Matches(OPENING_SPAN, SPAN_MESSAGE)
  monday: string[] = [];

  @IsOptional() @Matches(OPENING_SPAN, SPAN_MESSAGE)
  tuesday: string[] = [];

  @IsOptional() @Matches(OPENING_SPAN, SPAN_MESSAGE)
  wednesday: string[] = [];

  @IsOptional() @Matches(OPENING_SPAN, SPAN_MESSAGE)
  thursday: string[] = [];

  @IsOptional() @Matches(OPENING_SPAN, SPAN_MESSAGE)
  friday: string[] = [];

  @IsOptional() @Matches(OPENING_SPAN, SPAN_MESSAGE)
  saturday: string[] = [];

  @IsOptional() @Matches(OPENING_SPAN, SPAN_MESSAGE)
  sunday: string[] = [];

  // Local dates on which the team does not work at all.
  @IsOptional() @IsISO8601({ strict: true }, { each: true }) @Matches(/^\d{4}-\d{2}-\d{2}$/, { each: true, message: 'dates as "YYYY-MM-DD"' }) @ArrayUnique()
  holidays: string[] = [];
}

// The brand's promise, in business minutes from the customer's post.
export class SlaConfig {
  @IsInt() @Min(1) @Max(10080)
  ackMinutes = 60;

  @IsInt() @Min(1) @Max(43200)
  firstResponseMinutes = 240;

  @IsInt() @Min(1) @Max(525600)
  resolutionMinutes = 1440;

  // Left out: always open, the clocks never pause.
  @IsOptional() @ValidateNested() @Type(() => BusinessHoursConfig)
  businessHours?: BusinessHoursConfig;
}

export class FollowUpConfig {
  @IsInt() @Min(0) @Max(60 * 24 * 60)
  delayMinutes = 3 * 24 * 60;
}

// Which replies an approver must let out before they are published. The rules add up: a reply
// needs approval when any of them holds.
export class ApprovalConfig {
  // none, all public replies, or the first public reply of each case.
  @IsIn(APPROVAL_MODES)
  mode: (typeof APPROVAL_MODES)[number] = 'none';

  // Replies on cases whose post is at least this severe.
  @IsOptional() @IsIn(SEVERITIES)
  minSeverity?: (typeof SEVERITIES)[number];

  // Replies holding any of these words or phrases (whole words, any case).
  @IsOptional() @IsString({ each: true }) @Matches(/\S/, { each: true, message: 'words or phrases, not blanks' }) @ArrayUnique()
  words: string[] = [];

  // Direct (private) replies are exempt unless this is on.
  @IsBoolean()
  private = false;
}

export class RepeatFailureConfig {
  // An earlier case of the customer opened within this many days makes a new one a repeated failure.
  @IsInt() @Min(1) @Max(3650)
  windowDays = 90;
}

export class FirstTimeFixConfig {
  // A new complaint on the same topic within this many days after the resolution means it was not fixed the first time.
  @IsInt() @Min(1) @Max(365)
  windowDays = 14;
}

export class GoodwillConfig {
  // ISO 4217; the loader checks that the code exists.
  @Matches(/^[A-Z]{3}$/, { message: 'an ISO 4217 currency code such as EUR' })
  currency = 'EUR';

  // What an agent may offer a month without a manager, in the currency's major unit ("150.00" or
  // 150), read exactly into minor units; 0 sends every offer to a manager.
  @Transform(({ value }) => (typeof value === 'number' && Number.isFinite(value) ? String(value) : value))
  @Matches(/^\d{1,10}(\.\d+)?$/, { message: 'an amount in the currency, such as 150 or "150.00"' })
  monthlyBudgetPerAgent = '0';
}

export class BrandConfig {
  @Matches(SLUG, { message: 'a lowercase slug (letters, digits, dashes)' })
  id: string;

  @IsString() @MinLength(1)
  name: string;

  @IsOptional() @IsBoolean()
  demo = false;

  @IsIn(LANGUAGES)
  defaultLanguage: (typeof LANGUAGES)[number] = 'en';

  @ValidateNested() @Type(() => SlaConfig)
  sla = new SlaConfig();

  @ValidateNested() @Type(() => FollowUpConfig)
  followUp = new FollowUpConfig();

  @IsInt() @Min(1) @Max(480)
  claimMinutes = 30;

  @ValidateNested() @Type(() => ApprovalConfig)
  approval = new ApprovalConfig();
  @ValidateNested() @Type(() => RepeatFailureConfig)
  repeatFailure = new RepeatFailureConfig();

  @ValidateNested() @Type(() => FirstTimeFixConfig)
  firstTimeFix = new FirstTimeFixConfig();

  @ValidateNested() @Type(() => GoodwillConfig)
  goodwill = new GoodwillConfig();
}

export class MastodonSourceConfig {
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  baseUrl: string;

  // The name of the environment variable that holds the access token: secrets stay out of config files.
  @Matches(/^[A-Z_][A-Z0-9_]*$/, { message: 'an environment variable name' })
  accessTokenEnv: string;

  @IsOptional() @IsString({ each: true }) @ArrayUnique()
  hashtags: string[] = [];

  // Mastodon's maximum for notifications: half the requests against the rate limit of its default 40.
  @IsInt() @Min(1) @Max(80)
  pageSize = 80;

  @IsInt() @Min(100) @Max(120000)
  timeoutMs = 10000;

  // Follow the notification stream, so mentions arrive within seconds instead of at the next poll.
  @IsBoolean()
  streaming = true;

  // Where the streaming API answers, when not on baseUrl (Mastodon's configuration.urls.streaming).
  @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  streamingUrl?: string;
}

export class BlueskySourceConfig {
  // The brand account's PDS: https://bsky.social for accounts hosted by Bluesky.
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  service: string;

  // The brand account's handle (acme.bsky.social) or DID.
  @IsString() @MinLength(1)
  identifier: string;

  // The name of the environment variable that holds an app password of the brand account.
  @Matches(/^[A-Z_][A-Z0-9_]*$/, { message: 'an environment variable name' })
  appPasswordEnv: string;

  // Words searched for in every public post (app.bsky.feed.searchPosts, newest first), beside
  // the posts that mention, reply to or quote the brand account.
  @IsOptional() @IsString({ each: true }) @MinLength(1, { each: true }) @ArrayUnique()
  keywords: string[] = [];

  // Bluesky's maximum for notifications and searches.
  @IsInt() @Min(1) @Max(100)
  pageSize = 50;

  @IsInt() @Min(100) @Max(120000)
  timeoutMs = 10000;
}

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
const ENV_MESSAGE = { message: 'an environment variable name' };
const HTTP_URL = { require_tld: false, protocols: ['http', 'https'], require_protocol: true };

export class XSourceConfig {
  @IsUrl(HTTP_URL)
  baseUrl = 'https://api.x.com';

  // An OAuth 2.0 user-context access token of the brand account (scopes tweet.read, tweet.write,
  // users.read and offline.access).
  @Matches(ENV_NAME, ENV_MESSAGE)
  accessTokenEnv: string;

  // With the refresh token and the app's client id (and secret, for a confidential client),
  // Paradox renews the two-hour access token itself and keeps the rotated refresh token.
  @IsOptional() @Matches(ENV_NAME, ENV_MESSAGE)
  refreshTokenEnv?: string;

  // Required with a refresh token: X renews only for the app that issued it.
  @ValidateIf((x: XSourceConfig) => x.refreshTokenEnv !== undefined || x.clientIdEnv !== undefined) @Matches(ENV_NAME, ENV_MESSAGE)
  clientIdEnv?: string;

  @IsOptional() @Matches(ENV_NAME, ENV_MESSAGE)
  clientSecretEnv?: string;

  // Recent-search queries in X's query syntax, beside the mentions of the brand account.
  @IsOptional() @IsString({ each: true }) @MinLength(1, { each: true }) @ArrayUnique()
  keywords: string[] = [];

  // X serves 5 to 100 mentions and 10 to 100 search results a page.
  @IsInt() @Min(10) @Max(100)
  pageSize = 100;

  // Follow X's filtered stream, so posts arrive within a second instead of at the next poll. It
  // needs an app-only bearer token and an access level with the filtered stream (Pro, Enterprise).
  @IsBoolean()
  streaming = false;

  // The app's OAuth 2.0 app-only bearer token: the filtered stream and its rules take no user token.
  @ValidateIf((x: XSourceConfig) => x.streaming || x.bearerTokenEnv !== undefined) @Matches(ENV_NAME, ENV_MESSAGE)
  bearerTokenEnv?: string;

  @IsInt() @Min(100) @Max(120000)
  timeoutMs = 10000;
}

export class RedditSourceConfig {
  @IsUrl(HTTP_URL)
  apiUrl = 'https://oauth.reddit.com';

  // Where tokens are issued.
  @IsUrl(HTTP_URL)
  authUrl = 'https://www.reddit.com';

  // A "script" app of the brand account: its client id and secret, and the account's password.
  @Matches(ENV_NAME, ENV_MESSAGE)
  clientIdEnv: string;

  @Matches(ENV_NAME, ENV_MESSAGE)
  clientSecretEnv: string;

  // The brand's Reddit account, without u/.
  @Matches(/^[A-Za-z0-9_-]{3,20}$/, { message: 'a Reddit user name' })
  username: string;

  @Matches(ENV_NAME, ENV_MESSAGE)
  passwordEnv: string;

  // Reddit asks every client for a descriptive User-Agent: platform:app-id:version (by /u/name).
  @IsString() @MinLength(10)
  userAgent: string;

  // New posts and new comments in these subreddits (names without r/).
  @IsOptional() @Matches(/^[A-Za-z0-9_]{2,21}$/, { each: true, message: 'subreddit names without r/' }) @ArrayUnique()
  subreddits: string[] = [];

  // Searched in all of Reddit, newest first. Reddit's API searches posts, not comments.
  @IsOptional() @IsString({ each: true }) @MinLength(1, { each: true }) @ArrayUnique()
  keywords: string[] = [];

  // Reddit's maximum for a listing.
  @IsInt() @Min(1) @Max(100)
  pageSize = 100;

  @IsInt() @Min(100) @Max(120000)
  timeoutMs = 10000;
}

export class FeedSourceConfig {
  // An RSS, Atom, RDF or JSON Feed: a Google Alert, a review site, a forum.
  @IsUrl(HTTP_URL)
  url: string;

  // When the feed names a WebSub hub (and server.publicUrl is set), the hub pushes each new entry
  // to Paradox within seconds; the poll stays as the safety net.
  @IsBoolean()
  websub = true;

  // The lease asked of the hub; it is renewed on a poll within a day of running out.
  @IsInt() @Min(3600) @Max(31536000)
  leaseSeconds = 864000;

  @IsInt() @Min(100) @Max(120000)
  timeoutMs = 10000;
}

export class WebhookSourceConfig {
  // The shared secret the caller signs with (HMAC-SHA256 over the timestamp and the body).
  @Matches(ENV_NAME, ENV_MESSAGE)
  secretEnv: string;

  // A delivery older or newer than this is refused, so a captured one cannot be replayed later.
  @IsInt() @Min(10) @Max(3600)
  toleranceSeconds = 300;

  // Replies go out to this URL, signed the same way; without it they are recorded by hand.
  @IsOptional() @IsUrl(HTTP_URL)
  callbackUrl?: string;

  @IsInt() @Min(100) @Max(120000)
  timeoutMs = 10000;
}

export class DemoSourceConfig {
  // Seconds between two demo posts appearing.
  @IsInt() @Min(1) @Max(3600)
  postEverySeconds = 20;

  // Seconds a demo customer takes to answer a reply.
  @IsInt() @Min(0) @Max(86400)
  answerAfterSeconds = 15;
}

export class SourceConfig {
  @Matches(SLUG, { message: 'a lowercase slug (letters, digits, dashes)' })
  id: string;

  @Matches(SLUG, { message: 'the id of a configured brand' })
  brand: string;

  @IsIn(SOURCE_TYPES)
  type: SourceType;

  // Seconds between polls; without it, the platform's own default (defaultPollSeconds).
  @IsOptional() @IsInt() @Min(1) @Max(3600)
  pollSeconds?: number;

  @IsOptional() @ValidateNested() @Type(() => MastodonSourceConfig)
  mastodon?: MastodonSourceConfig;

  @IsOptional() @ValidateNested() @Type(() => BlueskySourceConfig)
  bluesky?: BlueskySourceConfig;

  @IsOptional() @ValidateNested() @Type(() => XSourceConfig)
  x?: XSourceConfig;

  @IsOptional() @ValidateNested() @Type(() => RedditSourceConfig)
  reddit?: RedditSourceConfig;

  @IsOptional() @ValidateNested() @Type(() => FeedSourceConfig)
  rss?: FeedSourceConfig;

  @IsOptional() @ValidateNested() @Type(() => WebhookSourceConfig)
  webhook?: WebhookSourceConfig;

  @IsOptional() @ValidateNested() @Type(() => DemoSourceConfig)
  demo?: DemoSourceConfig;
}

export class AccessTokenConfig {
  @IsString() @MinLength(1)
  name: string;

  @IsIn(ROLES)
  role: Role;

  @Matches(/^[A-Z_][A-Z0-9_]*$/, { message: 'an environment variable name' })
  tokenEnv: string;
}

export class ServerConfig {
  @IsInt() @Min(0) @Max(65535)
  port = 3000;

  @IsString()
  host = '127.0.0.1';

  // Proxies in front of Paradox whose X-Forwarded-For and X-Forwarded-Proto are believed: the
  // client's address (sign-in throttling) and https (Secure cookies) come from them. 0: none.
  @IsInt() @Min(0) @Max(10)
  trustProxyHops = 0;

  // Where the outside world reaches this server (https://care.example.com): the callback a WebSub
  // hub pushes feeds to is built on it. Without it, feeds are only polled.
  @IsOptional() @IsUrl(HTTP_URL)
  publicUrl?: string;
}

export class WorkerConfig {
  // Off only where a test drives polling and publishing itself.
  @IsBoolean()
  schedule = true;

  @IsInt() @Min(100) @Max(600000)
  publishEveryMs = 2000;

  @IsInt() @Min(1) @Max(100)
  maxPublishAttempts = 8;

  // How often each brand's model is retrained from its care team's new corrections.
  @IsInt() @Min(1) @Max(10080)
  retrainEveryMinutes = 60;

  // How often missed SLA milestones are looked for and recorded as breaches.
  @IsInt() @Min(1) @Max(3600)
  slaSweepSeconds = 30;
}

export class SignInThrottleConfig {
  // Failed sign-ins within the window, per account (since its last success) and per address.
  @IsInt() @Min(1) @Max(100)
  maxFailuresPerAccount = 5;

  @IsInt() @Min(1) @Max(10000)
  maxFailuresPerIp = 20;

  @IsInt() @Min(1) @Max(1440)
  windowMinutes = 15;
}

export class AuthConfig {
  // A session ends after this long without a request...
  @IsInt() @Min(1) @Max(10080)
  sessionIdleMinutes = 60;

  // ...and this long after sign-in, however busy.
  @IsInt() @Min(1) @Max(43200)
  sessionMaxMinutes = 720;

  // Secure cookies even when the request arrives over http (TLS ended by a proxy not trusted).
  @IsBoolean()
  secureCookies = false;

  @ValidateNested() @Type(() => SignInThrottleConfig)
  signIn = new SignInThrottleConfig();
}

export class ParadoxConfigFile {
  @ValidateNested() @Type(() => ServerConfig)
  server = new ServerConfig();

  @ValidateNested() @Type(() => WorkerConfig)
  worker = new WorkerConfig();

  @ValidateNested() @Type(() => AuthConfig)
  auth = new AuthConfig();

  @ValidateNested({ each: true }) @Type(() => BrandConfig)
  brands: BrandConfig[] = [];

  @ValidateNested({ each: true }) @Type(() => SourceConfig)
  sources: SourceConfig[] = [];

  @ValidateNested({ each: true }) @Type(() => AccessTokenConfig)
  access: AccessTokenConfig[] = [];

  @IsOptional() @IsString()
  templatesDir?: string;
}
