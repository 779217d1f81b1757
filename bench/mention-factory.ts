import { MastodonSourceConfig } from '../src/config/config.schema.js';
import { toPost } from '../src/sources/connectors/mastodon/mastodon.connector.js';
import type { FetchedPost } from '../src/sources/social-connector.js';
import { type ImitationAccount, type MastodonStatus, MastodonImitation } from '../test/support/mastodon-imitation.js';
import { seededRandom } from './stats.js';

// The page the poller asks Mastodon for by default.
export const PAGE_SIZE = new MastodonSourceConfig().pageSize;

type Slots = { order: number; days: number; minutes: number; product: string; productNl: string; city: string };
type Template = (s: Slots) => string;

const PRODUCTS = ['headphones', 'coffee machine', 'winter jacket', 'phone charger', 'desk lamp', 'running shoes', 'blender'];
const PRODUCTS_NL = ['koptelefoon', 'koffiemachine', 'winterjas', 'oplader', 'bureaulamp', 'hardloopschoenen', 'blender'];
const CITIES = ['Utrecht', 'Rotterdam', 'Amsterdam', 'Leeds', 'Eindhoven', 'Manchester', 'Groningen', 'Bristol'];
const NAMES = ['Anna de Vries', 'Tom Baker', 'Sanne Jansen', 'Priya Shah', 'Daan Visser', 'Emma Clarke', 'Lucas Bakker', 'Noor El Amrani', ''];

const COMPLAINTS_EN: Template[] = [
  (s) => `@acme my parcel still has not arrived after ${s.days} days and nobody answers my emails`,
  (s) => `@acme you charged me twice for order ${s.order}, I want a refund`,
  () => '@acme the app keeps crashing when I try to pay, broken again',
  (s) => `@acme still waiting for the ${s.product} I ordered ${s.days} days ago, this is unacceptable`,
  () => "@acme your website is down again and I can't log in to my account",
  (s) => `@acme received the wrong item for order ${s.order}, and no reply to my email. #acmefail`,
  (s) => `@acme terrible service in your ${s.city} store today, nobody helped me`,
  (s) => `@acme on hold for ${s.minutes} minutes now, fed up with this https://acme.example/orders/${s.order}`,
];
const COMPLAINTS_NL: Template[] = [
  (s) => `@acme mijn pakket is na ${s.days} dagen nog steeds niet bezorgd en niemand reageert`,
  (s) => `@acme jullie hebben order ${s.order} twee keer afgeschreven, ik wil mijn geld terug`,
  () => '@acme de app crasht elke keer als ik wil betalen, wat een gedoe',
  (s) => `@acme al ${s.days} dagen wachten op mijn ${s.productNl}, echt belachelijk`,
  (s) => `@acme de klantenservice in ${s.city} was slecht, niemand kon me helpen`,
  () => '@acme ik kan al sinds gisteren niet inloggen, de website werkt niet',
];
const OTHERS_EN: Template[] = [
  (s) => `@acme thanks for the quick delivery, the ${s.product} works great`,
  (s) => `@acme do you ship to ${s.city}?`,
  (s) => `Lovely afternoon in ${s.city}, picked up a new ${s.product} from @acme`,
  () => '@acme great help from your team today, problem solved!',
  (s) => `@acme what time does the ${s.city} store open on Sunday?`,
];
const OTHERS_NL: Template[] = [
  () => '@acme bedankt voor de snelle levering, top service!',
  (s) => `@acme hebben jullie de ${s.productNl} ook in het zwart?`,
  (s) => `Vandaag mijn nieuwe ${s.productNl} van @acme opgehaald in ${s.city}, blij mee`,
  () => '@acme dank jullie wel, alles is opgelost',
];
// A customer adding to their own thread, and a customer answering the brand's reply.
const FOLLOW_ONS: Template[] = [
  (s) => `@acme any news? Still nothing after ${s.days} days`,
  () => '@acme nog steeds niks gehoord, hallo?',
];
const ANSWERS: Template[] = [
  () => '@acme no, I am still waiting for the refund',
  () => '@acme yes, all sorted now, thanks a lot!',
  () => '@acme nee, nog steeds niks ontvangen',
  () => '@acme ja, het is opgelost, dank je wel',
];

// Mentions of @acme as the Mastodon connector hands them to ingestion: authored on the imitation
// (so ids, HTML and raw notifications are Mastodon's), then read back the way the connector reads them.
export async function mentionPages(pages: number, seed = 7): Promise<FetchedPost[][]> {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const mastodon = await MastodonImitation.start({ rateLimit: 1_000_000 });
  try {
    const count = pages * PAGE_SIZE;
    const start = Date.now() - count * 3_000 - 3_600_000;
    // Regulars write again and again, sometimes twice in one page; everyone else writes once.
    const regulars = Array.from({ length: 50 }, (_, i) => account(mastodon, `regular${i}`, pick(NAMES), Math.floor(random() * 5000)));
    const recent: { status: MastodonStatus; author: ImitationAccount }[] = [];
    const brandReplies: MastodonStatus[] = [];
    const posts: FetchedPost[] = [];
    for (let i = 0; i < count; i++) {
      const createdAt = new Date(start + i * 3_000);
      const slots: Slots = {
        order: 100_000 + ((i * 7919) % 900_000),
        days: 2 + (i % 13),
        minutes: 15 + (i % 50),
        product: PRODUCTS[i % PRODUCTS.length],
        productNl: PRODUCTS_NL[i % PRODUCTS_NL.length],
        city: CITIES[(i >> 3) % CITIES.length],
      };
      const dutch = random() < 0.4;
      const language = random() < 0.15 ? null : dutch ? 'nl' : 'en';
      const visibility = random() < 0.9 ? 'public' : 'unlisted';
      const roll = random();
      let author = random() < 0.25 ? pick(regulars) : account(mastodon, `customer${i}`, pick(NAMES), Math.floor(random() * 800));
      let text: string;
      let inReplyToId: string | undefined;
      if (roll < 0.08 && recent.length) {
        const earlier = pick(recent);
        author = earlier.author;
        text = pick(FOLLOW_ONS)(slots);
        inReplyToId = earlier.status.id;
      } else if (roll < 0.15 && brandReplies.length) {
        const reply = pick(brandReplies);
        author = regulars.find((r) => r.id === reply.in_reply_to_account_id) ?? author;
        text = pick(ANSWERS)(slots);
        inReplyToId = reply.id;
      } else if (roll < 0.6) {
        text = pick(dutch ? COMPLAINTS_NL : COMPLAINTS_EN)(slots);
      } else {
        text = pick(dutch ? OTHERS_NL : OTHERS_EN)(slots);
      }
      const status = mastodon.post(author, text, { createdAt, inReplyToId, language, visibility });
      posts.push(fetchedPost(status, i));
      recent.push({ status, author });
      if (recent.length > 60) recent.shift();
      // The brand answered some regulars' complaints earlier; their answers come back as mentions.
      if (regulars.includes(author) && roll >= 0.15 && roll < 0.6 && random() < 0.5) {
        brandReplies.push(mastodon.post(mastodon.brand, `@${author.username} Sorry to hear that, we are on it.`, { inReplyToId: status.id, createdAt }));
        if (brandReplies.length > 40) brandReplies.shift();
      }
    }
    return Array.from({ length: pages }, (_, p) => posts.slice(p * PAGE_SIZE, (p + 1) * PAGE_SIZE));
  } finally {
    await mastodon.stop();
  }
}

// Complaint texts only, varied by i.
export function complaintText(i: number): string {
  const slots: Slots = {
    order: 200_000 + i * 37,
    days: 3 + (i % 9),
    minutes: 20 + i,
    product: PRODUCTS[i % PRODUCTS.length],
    productNl: PRODUCTS_NL[i % PRODUCTS_NL.length],
    city: CITIES[i % CITIES.length],
  };
  return (i % 2 ? COMPLAINTS_NL : COMPLAINTS_EN)[i % 6](slots);
}

function account(mastodon: MastodonImitation, username: string, displayName: string, followers: number): ImitationAccount {
  return mastodon.addAccount(username, { displayName, followers });
}

// What MastodonConnector makes of a mention notification.
function fetchedPost(status: MastodonStatus, seq: number): FetchedPost {
  const raw = { id: String(seq + 1), type: 'mention', created_at: status.created_at, group_key: `ungrouped-${seq + 1}`, account: status.account, status };
  return toPost(status as unknown as Parameters<typeof toPost>[0], raw);
}
