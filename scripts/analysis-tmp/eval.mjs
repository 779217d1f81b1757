import fs from 'node:fs';
const { AnalysisService } = await import('./dist/analysis/analysis.service.js');
const svc = new AnalysisService();
const rows = fs.readFileSync('/work/shared/datasets/complaints-en.dev.jsonl','utf8').trim().split('\n').map(l=>JSON.parse(l));
const supportish = /help|support|care|service|custserv|ask/;
function f1(tp,fp,fn){const p=tp/(tp+fp||1), r=tp/(tp+fn||1); return 2*p*r/(p+r||1);}
function evaluate(name, brandOf, lang){ let tp=0,fp=0,fn=0,tn=0; const errs=[];
 for(const r of rows){ const res=svc.analyse({text:r.text, lang, brandHandles: brandOf(r)}); const y=r.complaint, p=res.complaint.label;
  if(y&&p)tp++; else if(!y&&p){fp++; errs.push(['FP',r.text,res.complaint.why.join(';'),res.complaint.probability]);} else if(y&&!p){fn++; errs.push(['FN',r.text,res.complaint.why.join(';'),res.complaint.probability]);} else tn++; }
 const macro=(f1(tp,fp,fn)+f1(tn,fn,fp))/2;
 console.log(name.padEnd(40), 'macroF1', macro.toFixed(3), 'F1(c)', f1(tp,fp,fn).toFixed(3), `tp=${tp} fp=${fp} fn=${fn} tn=${tn}`);
 return errs; }
const lead = r => { const m = r.text.match(/@\w+/g); return m ?? []; };
const e1=evaluate('no brand handles, no lang hint', ()=>undefined, undefined);
evaluate('no brand handles, lang=en', ()=>undefined, 'en');
evaluate('support-looking handles as brand', r=>lead(r).filter(h=>supportish.test(h.toLowerCase())), 'en');
evaluate('brand handles known (brand domains)', r=>r.domain.startsWith('random')?[]:lead(r), 'en');
if (process.argv[2]) { const kind=process.argv[2]; for (const e of e1.filter(e=>e[0]===kind).slice(0, +process.argv[3]||40)) console.log(e[0], e[3], '|', e[2], '|', e[1].slice(0,140).replace(/\n/g,' ')); }
