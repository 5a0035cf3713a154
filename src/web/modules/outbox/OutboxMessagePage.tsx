import { Alert, Button, Card, Grid, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconExternalLink } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import type { MailDetail } from '../../../contracts/admin';
import { get } from '../../api';
import { formatDateTime } from '../../ui/format';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { PageBreadcrumbs } from '../../ui/PageBreadcrumbs';
import { MailStatusBadge } from './OutboxPage';

const route = getRouteApi('/_app/admin/outbox/$id');

/** The first http(s) link in a plain-text message. */
export function firstLink(text: string): string | null {
  const m = /https?:\/\/[^\s<>"'()[\]]+/i.exec(text);
  return m ? m[0].replace(/[.,;:!?]+$/, '') : null;
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <Text size="sm" c="dimmed" w={90} style={{ flexShrink: 0 }}>
        {label}
      </Text>
      <Text size="sm" component="div" style={{ wordBreak: 'break-word' }}>
        {children}
      </Text>
    </Group>
  );
}

export function OutboxMessagePage() {
  const { id } = route.useParams();
  const mail = useQuery({ queryKey: ['/api/outbox', 'one', id], queryFn: ({ signal }) => get<MailDetail>(`/api/outbox/${id}`, undefined, signal) });

  if (mail.isPending) return <PageLoader />;
  if (mail.isError) return <QueryError error={mail.error} retry={() => void mail.refetch()} what="message" />;
  const m = mail.data;
  const link = firstLink(m.text);

  return (
    <Stack gap="lg">
      <PageBreadcrumbs to="/admin/outbox" label="Outbox" current={m.subject} clamp />
      <Title order={1} size="h2">{m.subject}</Title>

      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Card padding="lg">
            <Stack gap={8}>
              <Fact label="To">{m.toAddress}</Fact>
              <Fact label="Kind">{m.kind}</Fact>
              <Fact label="Status">
                <MailStatusBadge status={m.status} />
              </Fact>
              <Fact label="Written">{formatDateTime(m.createdAt)}</Fact>
              <Fact label="Sent">{m.sentAt ? formatDateTime(m.sentAt) : 'Not sent'}</Fact>
              <Fact label="Attempts">{m.attempts}</Fact>
            </Stack>
            {m.lastError && (
              <Alert mt="md" color="red" icon={<IconAlertTriangle />} title="Last error">
                {m.lastError}
              </Alert>
            )}
            {link && (
              <Button
                component="a"
                href={link}
                mt="lg"
                fullWidth
                variant="light"
                rightSection={<IconExternalLink size={16} />}
                data-testid="message-link"
              >
                Open link in message
              </Button>
            )}
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            <Paper p="md">
              <Text size="xs" fw={700} tt="uppercase" c="dimmed" mb="xs">
                HTML preview
              </Text>
              <iframe
                title="HTML preview of the message"
                srcDoc={m.html.replace(/<a\s/gi, '<a target="_blank" rel="noopener" ')}
                sandbox="allow-popups allow-popups-to-escape-sandbox"
                style={{ width: '100%', height: 520, border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8, background: 'white' }}
              />
            </Paper>
            {m.calendar && (
              <Paper p="md" data-testid="message-calendar">
                <Group justify="space-between" mb="xs">
                  <Text size="xs" fw={700} tt="uppercase" c="dimmed">
                    Calendar {m.calendar.method === 'CANCEL' ? 'cancellation' : 'invitation'} ({m.calendar.filename})
                  </Text>
                  <Button
                    component="a"
                    size="xs"
                    variant="light"
                    href={`data:text/calendar;charset=utf-8;method=${m.calendar.method},${encodeURIComponent(m.calendar.content)}`}
                    download={m.calendar.filename}
                  >
                    Download .ics
                  </Button>
                </Group>
                <pre className="tandem-pre">{m.calendar.content}</pre>
              </Paper>
            )}
            <Paper p="md">
              <Text size="xs" fw={700} tt="uppercase" c="dimmed" mb="xs">
                Plain text
              </Text>
              <pre className="tandem-pre" data-testid="message-text">
                {m.text}
              </pre>
            </Paper>
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
