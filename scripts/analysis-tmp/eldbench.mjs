import eld from 'eld/small';
const ts=['@acme mijn pakket is nog steeds niet geleverd, al 3 weken wachten','@acme you charged me twice for my order and nobody answers','Nee, nog steeds niets ontvangen.','ok','👍','\uD800', 'slecht weer vandaag','Ja hoor, het werkt weer, top!','yes it works again, thank you'];
for (const t of ts){const r=eld.detect(t); console.log(JSON.stringify(t), r.language, r.isReliable(), JSON.stringify(r.getScores()).slice(0,80));}
let t0=performance.now(); for(let i=0;i<100000;i++) eld.detect(ts[i%ts.length]); console.log('us/detect', (performance.now()-t0)/100000*1000);
console.log(Object.values(eld.info().Languages).join(','));
