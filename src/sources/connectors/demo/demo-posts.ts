// Demo content written by the Paradox team for the built-in demo stream (fictional brand, customers and orders).

export interface DemoCustomer {
  id: string;
  handle: string;
  displayName: string;
  followers: number;
}

export type DemoMood = 'satisfied' | 'unsatisfied';

export interface DemoPost {
  key: string;
  customer: string;
  lang: 'nl' | 'en' | 'de';
  kind: 'complaint' | 'question' | 'praise' | 'other';
  text: string;
  followUpAnswer?: { mood: DemoMood; text: string };
}

export const DEMO_CUSTOMERS: readonly DemoCustomer[] = [
  { id: 'anna-devries', handle: '@anna_devries', displayName: 'Anna de Vries', followers: 412 },
  { id: 'joost-bakker', handle: '@joost.bakker', displayName: 'Joost Bakker', followers: 1287 },
  { id: 'sanne-vdberg', handle: '@sannevdberg', displayName: 'Sanne van den Berg', followers: 96 },
  { id: 'mo-elamrani', handle: '@mo_elamrani', displayName: 'Mohamed El Amrani', followers: 2340 },
  { id: 'lotte-jansen', handle: '@lotte_jansen', displayName: 'Lotte Jansen', followers: 58 },
  { id: 'pieter-smit', handle: '@pieter.smit', displayName: 'Pieter Smit', followers: 731 },
  { id: 'fleur-mulder', handle: '@fleur_mulder', displayName: 'Fleur Mulder 🌷', followers: 5120 },
  { id: 'tom-baker', handle: '@tom.baker', displayName: 'Tom Baker', followers: 264 },
  { id: 'priya-sharma', handle: '@priya_sharma', displayName: 'Priya Sharma', followers: 1893 },
  { id: 'jamie-oconnor', handle: '@jamie_oconnor', displayName: "Jamie O'Connor", followers: 143 },
  { id: 'ellie-hughes', handle: '@ellie.hughes', displayName: 'Ellie Hughes', followers: 877 },
  { id: 'dan-wright', handle: '@danwright_', displayName: 'Dan Wright', followers: 39 },
  { id: 'grace-okafor', handle: '@grace.okafor', displayName: 'Grace Okafor', followers: 3406 },
  { id: 'lena-krueger', handle: '@lena_krueger', displayName: 'Lena Krüger', followers: 318 },
];

export const DEMO_POSTS: readonly DemoPost[] = [
  {
    key: 'nl-late-parcel',
    customer: 'anna-devries',
    lang: 'nl',
    kind: 'complaint',
    text: '@paradoxdemo mijn pakketje (#48213) is nog steeds niet geleverd. Zou dinsdag komen, het is nu vrijdag 😤',
    followUpAnswer: { mood: 'satisfied', text: 'Ja, vanochtend gebracht. Alles is opgelost, dank jullie!' },
  },
  {
    key: 'nl-charged-twice',
    customer: 'joost-bakker',
    lang: 'nl',
    kind: 'complaint',
    text: '@paradoxdemo ik ben twee keer afgeschreven voor bestelling #51907?! Graag het dubbele bedrag terug.',
    followUpAnswer: { mood: 'satisfied', text: 'Ja, het geld staat weer op mijn rekening. Top, bedankt!' },
  },
  {
    key: 'nl-refund-waiting',
    customer: 'sanne-vdberg',
    lang: 'nl',
    kind: 'complaint',
    text: 'Al drie weken wachten op mijn terugbetaling van @paradoxdemo. Retour is allang binnen volgens jullie eigen track & trace. #47730',
    followUpAnswer: { mood: 'unsatisfied', text: 'Nee, nog steeds geen terugbetaling ontvangen. Echt balen.' },
  },
  {
    key: 'nl-app-down',
    customer: 'mo-elamrani',
    lang: 'nl',
    kind: 'complaint',
    text: '@paradoxdemo de app doet het alweer niet 🙄 Kan niet inloggen en dus niks bestellen.',
    followUpAnswer: { mood: 'satisfied', text: 'Ja, de app werkt weer. Dank!' },
  },
  {
    key: 'nl-rude-courier',
    customer: 'lotte-jansen',
    lang: 'nl',
    kind: 'complaint',
    text: 'Bezorger van @paradoxdemo gooide mijn doos over het hek en was ook nog eens onbeschoft. Echt niet oké.',
    followUpAnswer: { mood: 'satisfied', text: 'Ja, netjes opgepakt en excuses gekregen. Bedankt voor het meedenken.' },
  },
  {
    key: 'nl-broken-blender',
    customer: 'pieter-smit',
    lang: 'nl',
    kind: 'complaint',
    text: '@paradoxdemo blender vandaag ontvangen en de kan is kapot 💔 Bestelling #50388. Wat nu?',
    followUpAnswer: { mood: 'satisfied', text: 'Ja hoor, nieuwe blender is binnen en werkt prima. Opgelost!' },
  },
  {
    key: 'nl-cancelled-order',
    customer: 'fleur-mulder',
    lang: 'nl',
    kind: 'complaint',
    text: 'Waarom is mijn bestelling zomaar geannuleerd @paradoxdemo? Geen mail, geen uitleg, niks. #49915',
    followUpAnswer: { mood: 'unsatisfied', text: 'Nee, nog steeds geen uitleg gekregen waarom hij geannuleerd is.' },
  },
  {
    key: 'nl-no-response',
    customer: 'anna-devries',
    lang: 'nl',
    kind: 'complaint',
    text: '@paradoxdemo al 5 dagen geen reactie op mijn mail over een verkeerd artikel. Hallo?? 📧',
    followUpAnswer: { mood: 'satisfied', text: 'Ja, ik ben inmiddels gebeld en het is geregeld. Dank jullie wel!' },
  },
  {
    key: 'nl-kastje-muur',
    customer: 'joost-bakker',
    lang: 'nl',
    kind: 'complaint',
    text: 'Van het kastje naar de muur gestuurd door de klantenservice van @paradoxdemo. Drie keer gebeld, drie verschillende antwoorden 😩',
    followUpAnswer: { mood: 'unsatisfied', text: 'Nee, nog steeds niet opgelost. Weer doorverbonden en weer niks.' },
  },
  {
    key: 'nl-wrong-size-twice',
    customer: 'fleur-mulder',
    lang: 'nl',
    kind: 'complaint',
    text: 'Voor de tweede keer de verkeerde maat gekregen @paradoxdemo 🤦‍♀️ Moet ik alles nu wéér terugsturen? #52140',
    followUpAnswer: { mood: 'satisfied', text: 'Jazeker, de juiste maat is nu binnen en past perfect. Dank jullie!' },
  },
  {
    key: 'nl-lost-parcel',
    customer: 'mo-elamrani',
    lang: 'nl',
    kind: 'complaint',
    text: '@paradoxdemo volgens track & trace is mijn pakket bezorgd, maar ik heb niks ontvangen. Pakket kwijt? #48876',
    followUpAnswer: { mood: 'unsatisfied', text: 'Nee, nog steeds niets ontvangen. En nu?' },
  },

  {
    key: 'en-never-arrived',
    customer: 'tom-baker',
    lang: 'en',
    kind: 'complaint',
    text: "@paradoxdemo my order #50211 never arrived. Tracking has said 'out for delivery' since Monday 🙃",
    followUpAnswer: { mood: 'satisfied', text: 'Yes, all sorted, thanks! It turned up this morning.' },
  },
  {
    key: 'en-charged-twice',
    customer: 'priya-sharma',
    lang: 'en',
    kind: 'complaint',
    text: 'Just got charged twice for the same order @paradoxdemo 😡 #51466 please fix this',
    followUpAnswer: { mood: 'satisfied', text: 'Yep, the duplicate charge has been refunded. Thanks for sorting it.' },
  },
  {
    key: 'en-refund-waiting',
    customer: 'jamie-oconnor',
    lang: 'en',
    kind: 'complaint',
    text: '@paradoxdemo still waiting for my refund, 4 weeks after you confirmed the return. #47092',
    followUpAnswer: { mood: 'unsatisfied', text: 'No, still waiting for the refund.' },
  },
  {
    key: 'en-app-outage',
    customer: 'ellie-hughes',
    lang: 'en',
    kind: 'complaint',
    text: 'Is the @paradoxdemo app down again? Checkout keeps crashing, third time this week.',
    followUpAnswer: { mood: 'satisfied', text: 'Yes, working fine now. Cheers!' },
  },
  {
    key: 'en-rude-courier',
    customer: 'dan-wright',
    lang: 'en',
    kind: 'complaint',
    text: 'Your courier was really rude to my mum today @paradoxdemo. Shouted at her for taking too long to open the door. Not acceptable.',
    followUpAnswer: { mood: 'satisfied', text: 'Yes, thanks for apologising and following up properly. Appreciated.' },
  },
  {
    key: 'en-broken-lamp',
    customer: 'grace-okafor',
    lang: 'en',
    kind: 'complaint',
    text: '@paradoxdemo desk lamp arrived broken, glass shade in pieces 😞 order #49580',
    followUpAnswer: { mood: 'satisfied', text: 'Yes, the replacement arrived in one piece. Thank you!' },
  },
  {
    key: 'en-cancelled-order',
    customer: 'tom-baker',
    lang: 'en',
    kind: 'complaint',
    text: '@paradoxdemo you cancelled my order without telling me and now my discount code is gone. Great.',
    followUpAnswer: { mood: 'unsatisfied', text: "No. Order's still cancelled and nobody has restored the code." },
  },
  {
    key: 'en-no-response',
    customer: 'priya-sharma',
    lang: 'en',
    kind: 'complaint',
    text: 'Emailed @paradoxdemo support twice about a faulty charger, no response at all. Is anyone there?',
    followUpAnswer: { mood: 'satisfied', text: "Yes, someone got back to me and it's all fixed now, thanks." },
  },
  {
    key: 'en-late-again',
    customer: 'ellie-hughes',
    lang: 'en',
    kind: 'complaint',
    text: "Late again @paradoxdemo. Second delivery this month that didn't show up on the promised day ⏰",
    followUpAnswer: { mood: 'satisfied', text: "Yes, parcel's here now. Thanks for checking in." },
  },
  {
    key: 'en-wrong-item',
    customer: 'jamie-oconnor',
    lang: 'en',
    kind: 'complaint',
    text: '@paradoxdemo ordered a blue kettle, got a toaster 😂 still need my kettle though, can you fix this? #52377',
    followUpAnswer: { mood: 'satisfied', text: 'Yes! Kettle arrived, toaster went back. All good.' },
  },
  {
    key: 'en-missing-items',
    customer: 'grace-okafor',
    lang: 'en',
    kind: 'complaint',
    text: '@paradoxdemo half my order is missing. Still waiting on the rest and no update anywhere. #48790',
    followUpAnswer: { mood: 'unsatisfied', text: 'Not really, still missing two items and still no update.' },
  },

  {
    key: 'nl-opening-hours',
    customer: 'sanne-vdberg',
    lang: 'nl',
    kind: 'question',
    text: '@paradoxdemo hoe laat is jullie afhaalpunt in Utrecht open op zaterdag?',
  },
  {
    key: 'nl-return-policy',
    customer: 'lotte-jansen',
    lang: 'nl',
    kind: 'question',
    text: 'Hoi @paradoxdemo, hoeveel dagen heb ik om iets te retourneren? En moet het in de originele doos?',
  },
  {
    key: 'nl-where-order',
    customer: 'pieter-smit',
    lang: 'nl',
    kind: 'question',
    text: '@paradoxdemo even checken: wanneer kan ik bestelling #53012 verwachten? Geen haast hoor 🙂',
  },
  {
    key: 'nl-evening-delivery',
    customer: 'anna-devries',
    lang: 'nl',
    kind: 'question',
    text: '@paradoxdemo bezorgen jullie ook \'s avonds? Ik werk overdag.',
  },

  {
    key: 'en-opening-hours',
    customer: 'dan-wright',
    lang: 'en',
    kind: 'question',
    text: '@paradoxdemo what are your customer service hours on Sundays?',
  },
  {
    key: 'en-return-policy',
    customer: 'ellie-hughes',
    lang: 'en',
    kind: 'question',
    text: 'Hi @paradoxdemo, can I return a gift without the receipt? 🎁',
  },
  {
    key: 'en-where-order',
    customer: 'priya-sharma',
    lang: 'en',
    kind: 'question',
    text: '@paradoxdemo quick one: any idea when #53148 will ship? No rush, just planning my week 🙂',
  },

  {
    key: 'nl-thanks-quick-help',
    customer: 'mo-elamrani',
    lang: 'nl',
    kind: 'praise',
    text: 'Dank @paradoxdemo voor de snelle hulp! Binnen een uur geregeld 👏',
  },
  {
    key: 'nl-friendly-courier',
    customer: 'fleur-mulder',
    lang: 'nl',
    kind: 'praise',
    text: 'Super vriendelijke bezorger van @paradoxdemo vandaag, hielp zelfs de doos naar boven te dragen 🙌',
  },
  {
    key: 'nl-same-day',
    customer: 'joost-bakker',
    lang: 'nl',
    kind: 'praise',
    text: 'Vanochtend besteld, vanmiddag in huis. Knap gedaan @paradoxdemo! 🚚',
  },

  {
    key: 'en-thanks-quick-help',
    customer: 'tom-baker',
    lang: 'en',
    kind: 'praise',
    text: 'Thanks for the quick help @paradoxdemo, sorted in minutes 🙏',
  },
  {
    key: 'en-packaging',
    customer: 'grace-okafor',
    lang: 'en',
    kind: 'praise',
    text: 'Love the plastic-free packaging @paradoxdemo 💚 more of this please',
  },
  {
    key: 'en-support-shoutout',
    customer: 'jamie-oconnor',
    lang: 'en',
    kind: 'praise',
    text: 'Shoutout to Sam from @paradoxdemo support, patient and friendly. Absolute legend.',
  },

  {
    key: 'nl-autumn-collection',
    customer: 'lotte-jansen',
    lang: 'nl',
    kind: 'other',
    text: 'Net de nieuwe najaarscollectie van @paradoxdemo doorgebladerd, ben benieuwd naar de jassen 🧥',
  },
  {
    key: 'nl-rain-train',
    customer: 'sanne-vdberg',
    lang: 'nl',
    kind: 'other',
    text: 'Alweer regen en de trein heeft ook nog vertraging. Maandag hoor 🌧️',
  },

  {
    key: 'en-rainy-day',
    customer: 'dan-wright',
    lang: 'en',
    kind: 'other',
    text: 'Rainy day again, got soaked on the way to work. Ugh ☔',
  },
  {
    key: 'en-script-joke',
    customer: 'priya-sharma',
    lang: 'en',
    kind: 'other',
    text: 'Typed <script>alert(1)</script> into the @paradoxdemo search bar just for fun. Nothing happened. Boring 😄 (sorry, developer habit)',
  },
  {
    key: 'de-colleague-mention',
    customer: 'lena-krueger',
    lang: 'de',
    kind: 'other',
    text: 'Meine Kollegin schwärmt ständig von @paradoxdemo. Muss ich mir wohl mal anschauen 🤔',
  },
];
