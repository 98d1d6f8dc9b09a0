// Integration and end-to-end specs boot services in their hooks; on a busy machine (CI, the
// Node 22 layer after the Node 20 one) that outlasts jest's 5 s default. A spec may still set
// its own limit with jest.setTimeout.
jest.setTimeout(Number(process.env.KANSHI_TEST_TIMEOUT_MS ?? 60_000));
