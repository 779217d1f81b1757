import fs from 'node:fs';
const { AnalysisService } = await import('./dist/analysis/analysis.service.js');
const { RULES_V1 } = await import('./dist/analysis/complaint-model.js');
const svc = new AnalysisService();
const rows = fs.readFileSync('/work/shared/datasets/complaints-en.dev.jsonl','utf8').trim().split('\n').map(l=>JSON.parse(l));
function f1(tp,fp,fn){const p=tp/(tp+fp||1), r=tp/(tp+fn||1); return 2*p*r/(p+r||1);}
const lead = r => r.text.match(/@\w+/g) ?? [];
function macro(brand){let tp=0,fp=0,fn=0,tn=0; for(const r of rows){const p=svc.analyse({text:r.text,brandHandles:brand?(r.domain.startsWith('random')?[]:lead(r)):undefined}).complaint.label; const y=r.complaint; if(y&&p)tp++; else if(p)fp++; else if(y)fn++; else tn++;} return ((f1(tp,fp,fn)+f1(tn,fn,fp))/2).toFixed(3);}
const grid = JSON.parse(process.argv[2]);
const keys = Object.keys(grid);
function* combos(i, acc){ if(i===keys.length){yield {...acc}; return;} for(const v of grid[keys[i]]) yield* combos(i+1,{...acc,[keys[i]]:v}); }
const base = {bias: RULES_V1.bias, ...Object.fromEntries(RULES_V1.weights)};
const res=[];
for (const c of combos(0,{})) { RULES_V1.bias = c.bias ?? base.bias; for (const [k,v] of RULES_V1.weights) RULES_V1.weights.set(k, c[k] ?? base[k]); res.push([macro(false), macro(true), JSON.stringify(c)]); }
res.sort((a,b)=>(+b[0]+ +b[1])-(+a[0]+ +a[1])); for (const r of res.slice(0,15)) console.log(r.join('  '));
