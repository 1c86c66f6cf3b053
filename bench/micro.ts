/** `npm run bench:micro`: component benchmarks (scorer, bulk writes), one JSON line each. */
import { benchBulkWrite } from './bulkWrite.js';
import { benchScore } from './score.js';

const messages = Number(process.env.CSQA_BENCH_MESSAGES ?? 1_000_000);
console.log(JSON.stringify({ bench: 'score', ...(await benchScore(messages, 0.2)) }));
console.log(JSON.stringify({ bench: 'bulk_write', ...(await benchBulkWrite(200_000)) }));
