import eld from 'eld/small';
import fs from 'node:fs';
const load=f=>fs.readFileSync('/work/shared/datasets/'+f,'utf8').trim().split('\n').map(l=>JSON.parse(l));
const sets=[['political-tweets-nl.dev.jsonl','nl'],['restaurant-reviews-nl.dev.jsonl','nl'],['tweeteval-sentiment-en.val.jsonl','en'],['complaints-en.dev.jsonl','en']];
const clean=t=>t.replace(/https?:\/\/\S+|www\.\S+/g,' ').replace(/[@#][\w.]+/g,' ');
for (const [f,lang] of sets){const rows=load(f); let ok=0, rel=0, relok=0; const wrong={};
 for(const r of rows){const d=eld.detect(clean(r.text)); if(d.language===lang) ok++; else wrong[d.language]=(wrong[d.language]||0)+1; if(d.isReliable()){rel++; if(d.language===lang) relok++;}}
 console.log(f, rows.length, 'acc',(ok/rows.length).toFixed(3),'reliable',rel,'acc|rel',(relok/rel).toFixed(3), JSON.stringify(Object.entries(wrong).sort((a,b)=>b[1]-a[1]).slice(0,8)));}
for (const t of ['No, still not working.','Nope, I am still waiting for my refund','Yes, all sorted now, thanks a lot!','Ja, alles is opgelost, dank je wel!','Nee, het is nog steeds kapot','thanks!','dank je','top','no','nee']){const d=eld.detect(t);console.log(t,d.language,d.isReliable())}
