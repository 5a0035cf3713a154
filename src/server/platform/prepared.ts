import { createHash } from 'node:crypto';
import { parse as pgliteParse, protocol, type PGlite, type QueryOptions, type Results } from '@electric-sql/pglite';
import type pg from 'pg';

/**
 * Prepared statements for reads outside transactions, on both engines: a statement is parsed and
 * planned once per connection and then only bound and run. The lists join five to nine tables, and
 * planning such a query costs more than running it (PGlite: 6 ms planning, 1.5–2.5 ms running for
 * the ideas and requests pages); the plan is PostgreSQL's own plan cache (custom plans for the
 * first five runs, then the generic plan when it is no worse).
 *
 * Only SELECT (and WITH … SELECT) statements without row locks are prepared, at most
 * MAX_STATEMENTS distinct texts per process; anything else runs as before.
 */
const MAX_STATEMENTS = 500;
const PREPARABLE = /^\s*(select|with)\b/i;
const LOCKING = /\bfor\s+(update|share|no\s+key\s+update|key\s+share)\b/i;

export function preparable(text: string): boolean {
  if (text.length > 20_000 || !PREPARABLE.test(text) || LOCKING.test(text)) return false;
  const bare = text.replace(/'[^']*'/g, "''").replace(/"[^"]*"/g, '""');
  // One statement only: a script of several (`select 1; select 2`) cannot be prepared.
  return !/\b(insert|update|delete)\b/i.test(bare) && !/;\s*\S/.test(bare);
}

/** Statement name of a text: the same on every connection and process, never reused for another text. */
function statementName(text: string) {
  return `t_${createHash('sha1').update(text).digest('base64url')}`;
}

/**
 * A pg pool whose plain `query(config, values)` calls for preparable statements carry a name, so
 * node-postgres prepares each once per connection (its own statement cache) and afterwards sends
 * only Bind and Execute. Transactions (pool.connect) are left as they are.
 */
export function namedStatements(pool: pg.Pool): pg.Pool {
  const names = new Map<string, string>();
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  (pool as unknown as { query: (...args: unknown[]) => unknown }).query = (config: unknown, ...rest: unknown[]) => {
    if (config && typeof config === 'object' && typeof (config as pg.QueryConfig).text === 'string' && !(config as pg.QueryConfig).name) {
      const text = (config as pg.QueryConfig).text;
      let name = names.get(text);
      if (!name && names.size < MAX_STATEMENTS && preparable(text)) {
        name = statementName(text);
        names.set(text, name);
      }
      if (name) config = { ...(config as object), name };
    }
    return query(config, ...rest);
  };
  return pool;
}

/**
 * PGlite runs every query as an unnamed statement (parse and plan each time). This wrapper gives
 * `query(text, params, options)` named statements for preparable texts: Parse and Describe once,
 * then Bind, Describe (portal) and Execute, under the same locks PGlite's own query() takes (so it
 * never runs inside another caller's open transaction). Everything else is PGlite's own.
 */
export function preparedPglite(client: PGlite): PGlite {
  const statements = new Map<string, { name: string; paramTypes: number[] }>();
  const run = async (text: string, params: unknown[], options?: QueryOptions): Promise<Results> => {
    const send = (message: Uint8Array) => client.execProtocolStream(message, { syncToFs: false });
    return client._runExclusiveTransaction(() =>
      client._runExclusiveQuery(async () => {
        const messages = [];
        try {
          let statement = statements.get(text);
          if (!statement) {
            const name = statementName(text);
            await send(protocol.serialize.parse({ name, text, types: options?.paramTypes }));
            const paramTypes = pgliteParse.parseDescribeStatementResults(await send(protocol.serialize.describe({ type: 'S', name })));
            statement = { name, paramTypes };
            statements.set(text, statement);
          }
          const { paramTypes } = statement;
          const values = params.map((value, i) => {
            if (value === null || value === undefined) return null;
            const serializer = options?.serializers?.[paramTypes[i]] ?? client.serializers[paramTypes[i]];
            return serializer ? serializer(value) : String(value);
          });
          messages.push(...(await send(protocol.serialize.bind({ statement: statement.name, values }))));
          messages.push(...(await send(protocol.serialize.describe({ type: 'P' }))));
          messages.push(...(await send(protocol.serialize.execute({}))));
        } catch (err) {
          // A statement the schema has since invalidated is prepared afresh next time.
          if ((err as { code?: string }).code === '0A000') statements.delete(text);
          throw err;
        } finally {
          messages.push(...(await send(protocol.serialize.sync())));
        }
        return pgliteParse.parseResults(messages, client.parsers, options)[0];
      }),
    );
  };
  return new Proxy(client, {
    get(target, prop) {
      if (prop === 'query') {
        return (text: string, params: unknown[] = [], options?: QueryOptions) =>
          !options?.blob && (statements.has(text) || (statements.size < MAX_STATEMENTS && preparable(text)))
            ? run(text, params, options)
            : target.query(text, params, options);
      }
      const value = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * The embedded client with a write generation: every call that may change data (a statement that is
 * not a prepared read, a script, a transaction, the wire protocol used directly) moves the
 * generation when it starts and when it ends. PGlite runs one call at a time and its data folder
 * belongs to this process, so an unchanged generation means unchanged data (response-cache.ts).
 */
export function writeTracked(client: PGlite): { client: PGlite; generation: () => number } {
  let generation = 0;
  const around =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      generation++;
      try {
        return await fn(...args);
      } finally {
        generation++;
      }
    };
  const WRITING = new Set(['exec', 'transaction', 'execProtocol', 'execProtocolRaw', 'execProtocolStream', 'sql']);
  const tracked = new Proxy(client, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof value !== 'function') return value;
      const bound = value.bind(target) as (...args: unknown[]) => Promise<unknown>;
      if (prop === 'query') {
        const writing = around(bound);
        return (text: string, params?: unknown[], options?: QueryOptions) =>
          !options?.blob && preparable(text) ? bound(text, params, options) : writing(text, params, options);
      }
      return typeof prop === 'string' && WRITING.has(prop) ? around(bound) : bound;
    },
  });
  return { client: tracked, generation: () => generation };
}
