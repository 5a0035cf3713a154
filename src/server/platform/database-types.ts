export type { Database, Db, DbOrTx, Tx } from './db.js';
