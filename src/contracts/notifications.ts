import { z } from 'zod';

/**
 * Every kind of notification, with the label a person sees in their preferences. A module that
 * notifies adds its kinds here (the key is also the mail kind in the outbox).
 */
export const NOTIFICATION_KINDS = {
  request_new: { group: 'Requests', label: 'A new request to my department' },
  request_assigned: { group: 'Requests', label: 'A request assigned to me' },
  request_status: { group: 'Requests', label: 'My request accepted, done, declined or cancelled' },
  request_comment: { group: 'Requests', label: 'A comment on my request' },
  request_mention: { group: 'Requests', label: 'Someone mentions me on a request' },
  idea_state: { group: 'Ideas', label: 'An idea I wrote, own or voted for changes state' },
  idea_owner: { group: 'Ideas', label: 'I am made owner of an idea' },
  idea_comment: { group: 'Ideas', label: 'A comment on an idea I wrote or own' },
  idea_mention: { group: 'Ideas', label: 'Someone mentions me on an idea' },
  pos_assigned: { group: 'Cashier monitoring', label: 'A POS exception assigned to me' },
  case_member: { group: 'Cases', label: 'I am made lead or member of a case' },
  case_task: { group: 'Cases', label: 'A case task assigned to me' },
  case_access: { group: 'Cases', label: 'Someone joins a restricted case I work on' },
  evidence_alarm: { group: 'Cases', label: 'An evidence file fails its integrity check' },
  incident_new: { group: 'Cases', label: 'A new incident or tip to triage' },
  incident_reply: { group: 'Cases', label: 'A reply on an incident I reported' },
  meeting_action: { group: 'Joint meetings', label: 'An action assigned to me in a meeting' },
  project_gate: { group: 'Projects', label: 'A project gate waits for my sign-off' },
  project_decision: { group: 'Projects', label: 'A sign-off, refusal or stage change on a project I own' },
  pulse_round: { group: 'Budget and priorities', label: 'A priority pulse survey opens or reminds me' },
} as const satisfies Record<string, { group: string; label: string }>;

export type NotificationKind = keyof typeof NOTIFICATION_KINDS;
export const NOTIFICATION_KIND_KEYS = Object.keys(NOTIFICATION_KINDS) as [NotificationKind, ...NotificationKind[]];

export const notificationSchema = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string(),
  recordRef: z.string().nullable(),
  actorName: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type Notification = z.infer<typeof notificationSchema>;

export const notificationListQuery = z.object({
  unread: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});

export const notificationPage = z.object({
  items: z.array(notificationSchema),
  total: z.number().int(),
  unread: z.number().int(),
  nextCursor: z.string().nullable(),
});
export type NotificationPage = z.infer<typeof notificationPage>;

export const unreadCountSchema = z.object({ unread: z.number().int() });

export const preferencesSchema = z.object({
  emailDigest: z.boolean(),
  kinds: z.array(z.object({ kind: z.enum(NOTIFICATION_KIND_KEYS), group: z.string(), label: z.string(), email: z.boolean(), webhook: z.boolean() })),
});
export type NotificationPreferences = z.infer<typeof preferencesSchema>;

export const preferencesInput = z.object({
  emailDigest: z.boolean().optional(),
  kinds: z.array(z.object({ kind: z.enum(NOTIFICATION_KIND_KEYS), email: z.boolean(), webhook: z.boolean() })).max(100).optional(),
});

export const WEBHOOK_FORMATS = ['slack', 'teams'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];
export const WEBHOOK_FORMAT_LABELS: Record<WebhookFormat, string> = { slack: 'Slack', teams: 'Microsoft Teams' };

export const webhookSchema = z.object({
  id: z.string(),
  scope: z.enum(['person', 'department']),
  personId: z.string().nullable(),
  departmentId: z.string().nullable(),
  departmentName: z.string().nullable(),
  format: z.enum(WEBHOOK_FORMATS),
  /** Scheme, host and the last characters only: the full URL is a secret. */
  maskedUrl: z.string(),
  signed: z.boolean(),
  active: z.boolean(),
  lastDelivery: z.object({ status: z.string(), at: z.string(), error: z.string().nullable() }).nullable(),
  createdAt: z.string(),
});
export type Webhook = z.infer<typeof webhookSchema>;

export const webhookInput = z.object({
  scope: z.enum(['person', 'department']),
  departmentId: z.string().uuid().optional(),
  format: z.enum(WEBHOOK_FORMATS),
  url: z.string().trim().url('must be a URL').max(2000),
  signingSecret: z.string().trim().min(16, 'must be at least 16 characters').max(200).optional().or(z.literal('').transform(() => undefined)),
});

export const webhookList = z.object({ items: z.array(webhookSchema) });
