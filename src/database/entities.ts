import { AuditEntry } from '../audit/audit-entry.entity.js';
import { ApiToken } from '../auth/api-token.entity.js';
import { RoleGrant } from '../auth/role-grant.entity.js';
import { Session } from '../auth/session.entity.js';
import { SignInAttempt } from '../auth/sign-in-attempt.entity.js';
import { AppUser } from '../auth/user.entity.js';
import { PostLabel } from '../analysis/post-label.entity.js';
import { CaseEvent } from '../cases/case-event.entity.js';
import { Case } from '../cases/case.entity.js';
import { Team, TeamMember } from '../cases/team.entity.js';
import { ThreadLink } from '../cases/thread-link.entity.js';
import { ReplyTemplate } from '../replies/reply-template.entity.js';
import { Compensation, GoodwillSpend } from '../customers/compensation.entity.js';
import { CustomerAuthor } from '../customers/customer-author.entity.js';
import { Customer } from '../customers/customer.entity.js';
import { Note } from '../customers/note.entity.js';
import { Notification } from '../customers/notification.entity.js';
import { Reply } from '../replies/reply.entity.js';
import { Author } from '../sources/author.entity.js';
import { Post } from '../sources/post.entity.js';
import { FeedSubscription } from '../sources/connectors/rss/feed-subscription.entity.js';
import { SourceState } from '../sources/source-state.entity.js';

export const ENTITIES = [
  SourceState, FeedSubscription, Author, Post, PostLabel, Case, CaseEvent, ThreadLink, Team, TeamMember, Reply, ReplyTemplate, AuditEntry,
  AppUser, RoleGrant, Session, ApiToken, SignInAttempt,
  Customer, CustomerAuthor, Note, Notification, Compensation, GoodwillSpend,
];
