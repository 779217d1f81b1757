import { InitialSchema1795385695562 } from './1795385695562-InitialSchema.js';
import { TimelinePostsFromThreadLinks1795391979601 } from './1795391979601-TimelinePostsFromThreadLinks.js';
import { AnalysisTopicSeverityAbuseIntent1795393844878 } from './1795393844878-AnalysisTopicSeverityAbuseIntent.js';
import { PostLabels1795394419936 } from './1795394419936-PostLabels.js';
import { PostSourceFetchedIndex1796165994717 } from './1796165994717-PostSourceFetchedIndex.js';
import { ManualRepliesAndRotatedCredentials1796171989732 } from './1796171989732-ManualRepliesAndRotatedCredentials.js';
import { AuditEntries1796174521664 } from './1796174521664-AuditEntries.js';
import { CustomerAndApprovalColumns1796175643213 } from './1796175643213-CustomerAndApprovalColumns.js';
import { ReplyTemplatesAndApprovals1796176060729 } from './1796176060729-ReplyTemplatesAndApprovals.js';
import { QueueSlaTeamsAndBulkActions1796176345185 } from './1796176345185-QueueSlaTeamsAndBulkActions.js';
import { UsersSessionsAndApiTokens1796176063226 } from './1796176063226-UsersSessionsAndApiTokens.js';
import { CustomersNotesGoodwill1796178098973 } from './1796178098973-CustomersNotesGoodwill.js';
import { PartialTeamIndex1796180915333 } from './1796180915333-PartialTeamIndex.js';
import { FeedSubscriptions1796192047939 } from './1796192047939-FeedSubscriptions.js';
import { AnalysisOnThePost1796226731178 } from './1796226731178-AnalysisOnThePost.js';

export const MIGRATIONS = [InitialSchema1795385695562, TimelinePostsFromThreadLinks1795391979601, AnalysisTopicSeverityAbuseIntent1795393844878, PostLabels1795394419936, PostSourceFetchedIndex1796165994717, ManualRepliesAndRotatedCredentials1796171989732, AuditEntries1796174521664, CustomerAndApprovalColumns1796175643213, ReplyTemplatesAndApprovals1796176060729, UsersSessionsAndApiTokens1796176063226, QueueSlaTeamsAndBulkActions1796176345185, CustomersNotesGoodwill1796178098973, PartialTeamIndex1796180915333, FeedSubscriptions1796192047939, AnalysisOnThePost1796226731178];
