// Without zod: the web app's router checks the incident and case lists' addresses with these before any page loads.

export const INCIDENT_STATUSES = ['new', 'triaged', 'linked', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const CASE_STATUSES = ['open', 'on_hold', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
