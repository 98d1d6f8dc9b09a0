import 'reflect-metadata';

// `npm run bench -- <name>` runs bench/<name>.bench.ts's `run()`.
async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[a-z-]+$/.test(name)) {
    console.error('usage: npm run bench -- <name>   (gateway, billing, ingest, parse, consume, startup, analysis, incident, reporting, response)');
    process.exit(2);
  }
  let mod: { run?: () => Promise<void> };
  try {
    mod = require(`./${name}.bench`);
  } catch (err) {
    console.error(`no benchmark named "${name}" (${(err as Error).message.split('\n')[0]})`);
    process.exit(2);
  }
  if (typeof mod.run !== 'function') throw new Error(`bench/${name}.bench.ts exports no run()`);
  await mod.run();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
