import { z } from 'zod';
import { dateOrDateTime, listQueryBase, pageOf } from './list.js';

export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  summary: z.string(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  ip: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export const auditListQuery = listQueryBase.extend({
  sort: z.enum(['at']).default('at'),
  order: z.enum(['asc', 'desc']).default('desc'),
  actorId: z.string().uuid().optional(),
  entity: z.string().max(60).optional(),
  entityId: z.string().max(100).optional(),
  action: z.string().max(60).optional(),
  from: dateOrDateTime.optional(),
  to: dateOrDateTime.optional(),
});
export const auditPage = pageOf(auditEntrySchema);

export const mailSummarySchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  toAddress: z.string(),
  subject: z.string(),
  kind: z.string(),
  status: z.string(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  sentAt: z.string().nullable(),
});
export const mailDetailSchema = mailSummarySchema.extend({
  html: z.string(),
  text: z.string(),
  /** The calendar invitation the message carries (.ics), if any. */
  calendar: z.object({ method: z.string(), filename: z.string(), content: z.string() }).nullable(),
});
export type MailSummary = z.infer<typeof mailSummarySchema>;
export type MailDetail = z.infer<typeof mailDetailSchema>;
export const mailListQuery = listQueryBase.extend({
  sort: z.enum(['createdAt']).default('createdAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  status: z.string().max(20).optional(),
  kind: z.string().max(40).optional(),
  to: z.string().max(200).optional(),
});
export const mailPage = pageOf(mailSummarySchema);
