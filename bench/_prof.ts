import { benchSmaCrossOneThread } from './backtests';
const n = Number(process.argv[2] ?? 200000);
(async () => {
  await benchSmaCrossOneThread(20000);
  const r = await benchSmaCrossOneThread(n);
  console.log(JSON.stringify(r));
})();
