import { uuidv7 } from 'uuidv7';
import type { DbOrTx } from './db.js';
import type { Actor } from './policy.js';
import { auditLog } from './schema.js';

export interface AuditEntry {
  action: 'create' | 'update' | 'deactivate' | 'reactivate' | 'delete' | 'read' | 'import' | 'invite' | 'sign_in' | 'password' | string;
  entity: string;
  entityId?: string | null;
  summary: string;
  before?: unknown;
  after?: unknown;
}

/** Written inside the caller's transaction, so a change and its audit entry commit together. */
export async function recordAudit(tx: DbOrTx, actor: Pick<Actor, 'id' | 'name' | 'ip'> | null, entry: AuditEntry) {
  await tx.insert(auditLog).values({
    id: uuidv7(),
    actorId: actor?.id ?? null,
    actorName: actor ? actor.name : 'anonymous',
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId ?? null,
    summary: entry.summary,
    before: entry.before === undefined ? null : (entry.before as object),
    after: entry.after === undefined ? null : (entry.after as object),
    ip: actor?.ip ?? null,
  });
}

/** Fields that differ between two versions of a record, for the audit's before/after. */
export function changedFields<T extends Record<string, unknown>>(before: T, after: Partial<T>) {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of Object.keys(after)) {
    const oldValue = before[key];
    const newValue = after[key];
    if (newValue === undefined) continue;
    const same = oldValue instanceof Date && newValue instanceof Date ? +oldValue === +newValue : oldValue === newValue;
    if (!same) {
      b[key] = oldValue;
      a[key] = newValue;
    }
  }
  return { before: b, after: a, changed: Object.keys(a) };
}
