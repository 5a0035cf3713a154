import { Badge, Box, Group, Paper, SegmentedControl, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { EDITION_STATUS_LABELS, type EditionPreview, type EditionStatus } from '../../../contracts/newsletter';

const STATUS_COLORS: Record<EditionStatus, string> = { draft: 'gray', scheduled: 'blue', sending: 'orange', sent: 'teal' };

export function EditionStatusBadge({ status }: { status: EditionStatus }) {
  return (
    <Badge color={STATUS_COLORS[status]} variant="light">
      {EDITION_STATUS_LABELS[status]}
    </Badge>
  );
}

/** The module a drafted section came from, in words. */
export const SOURCE_LABELS: Record<string, string> = {
  pos: 'cashier monitoring',
  requests: 'requests',
  devices: 'devices and posture',
  ideas: 'ideas',
  training: 'cross-training',
  cases: 'cases',
  projects: 'projects',
  budget: 'budget and priorities',
  meetings: 'joint meetings',
};

export function periodText(cadence: 'weekly' | 'monthly', from: string, to: string) {
  const f = new Date(from);
  const last = new Date(new Date(to).getTime() - 1);
  if (cadence === 'monthly') return f.toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const d = (x: Date) => x.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
  return `Week of ${d(f)} – ${d(last)} ${last.getUTCFullYear()}`;
}

/**
 * The edition as a reader gets it: the mail's HTML in a sandboxed frame (no script, no same-origin
 * rights) at phone or desktop width, or the plain-text part.
 */
export function MailPreview({ preview, title }: { preview: EditionPreview; title: string }) {
  const [format, setFormat] = useState<'html' | 'text'>('html');
  const [width, setWidth] = useState<'phone' | 'desktop'>('desktop');
  const px = width === 'phone' ? 390 : 680;
  return (
    <Stack gap="sm">
      <Group gap="sm" wrap="wrap">
        <SegmentedControl
          aria-label="Preview format"
          value={format}
          onChange={(v) => setFormat(v as 'html' | 'text')}
          data={[
            { value: 'html', label: 'HTML' },
            { value: 'text', label: 'Plain text' },
          ]}
        />
        <SegmentedControl
          aria-label="Preview width"
          value={width}
          onChange={(v) => setWidth(v as 'phone' | 'desktop')}
          data={[
            { value: 'phone', label: 'Phone (390 px)' },
            { value: 'desktop', label: 'Desktop' },
          ]}
        />
      </Group>
      <Text size="sm" c="dimmed">
        Subject: {preview.subject}
      </Text>
      <Paper withBorder radius="md" style={{ overflowX: 'auto', background: 'var(--mantine-color-gray-1)' }} p="sm">
        <Box mx="auto" style={{ width: px, maxWidth: width === 'phone' ? px : '100%' }} data-testid="preview-frame-box" data-width={width}>
          {format === 'html' ? (
            <iframe
              title={`${title} (HTML preview)`}
              // Same origin only so the page can read the mail's height; the mail runs no script.
              sandbox="allow-same-origin"
              srcDoc={preview.html}
              onLoad={(ev) => {
                const doc = ev.currentTarget.contentDocument;
                if (doc) ev.currentTarget.style.height = `${doc.documentElement.scrollHeight + 8}px`;
              }}
              style={{ width: '100%', height: 900, border: 0, background: '#fff', display: 'block' }}
            />
          ) : (
            <Box component="pre" data-testid="text-preview" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', fontSize: 13, background: 'var(--mantine-color-body)', padding: 16, margin: 0 }}>
              {preview.text}
            </Box>
          )}
        </Box>
      </Paper>
    </Stack>
  );
}
