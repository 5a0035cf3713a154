import { Button, Card, Group, Select, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { SUBSCRIBER_STATUS_LABELS, SUBSCRIBER_STATUSES, type SubscriberStatus } from '../../../contracts/newsletter';
import { post } from '../../api';
import { formatDateTime } from '../../ui/format';
import { applyServerErrors } from '../../ui/forms';
import { EmptyRow, ExportButton, ListFooter, useCursorList } from '../../ui/list';
import { notifySuccess } from '../../ui/notify';
import { PageBreadcrumbs } from '../../ui/PageBreadcrumbs';
import { PageHeader } from '../../ui/PageHeader';
import { QueryError } from '../../ui/StatusPages';

interface Subscriber {
  id: string;
  email: string;
  name: string;
  status: SubscriberStatus;
  optIn: boolean;
  frequency: 'all' | 'monthly';
  confirmedAt: string | null;
  updatedAt: string;
}

/** Opt-in subscribers and every address's own choice (unsubscribed, bounced, monthly only). */
export function SubscribersPage() {
  const queryClient = useQueryClient();
  const [q, setQ] = useState('');
  const [debouncedQ] = useDebouncedValue(q, 300);
  const [status, setStatus] = useState<string | null>(null);
  const filters = { q: debouncedQ || undefined, status: status ?? undefined };
  const list = useCursorList<Subscriber>('/api/newsletter/subscribers', filters);
  const form = useForm({ initialValues: { email: '', name: '' }, validate: { email: (v) => (/.+@.+\..+/.test(v.trim()) ? null : 'Enter an email address') } });
  const add = useMutation({
    mutationFn: (v: { email: string; name: string }) => post<Subscriber>('/api/newsletter/subscribers', { email: v.email.trim(), name: v.name.trim() }),
    onSuccess: (s) => {
      notifySuccess(s.status === 'pending' ? `${s.email} was asked to confirm by mail; nothing is sent until they do.` : `${s.email} already receives the newsletter.`);
      form.reset();
      void queryClient.invalidateQueries({ queryKey: ['/api/newsletter/subscribers'] });
    },
    onError: (err) => applyServerErrors(form, err),
  });
  return (
    <>
      <PageBreadcrumbs to="/newsletter" label="Editions" current="Subscribers" />
      <PageHeader title="Newsletter subscribers" description="People outside an edition's departments, stores or roles who asked for it; and every address's own choice." />
      <Card withBorder mb="md">
        <form onSubmit={form.onSubmit((v) => add.mutate(v))} noValidate>
          <Group align="flex-start" wrap="wrap">
            <TextInput label="Email" {...form.getInputProps('email')} w={280} />
            <TextInput label="Name" {...form.getInputProps('name')} w={240} />
            <Button type="submit" mt={24} loading={add.isPending}>
              Invite to subscribe
            </Button>
          </Group>
        </form>
      </Card>
      <Group mb="sm" align="flex-end" wrap="wrap">
        <TextInput label="Search" placeholder="Email or name" value={q} onChange={(e) => setQ(e.currentTarget.value)} w={260} />
        <Select label="Status" placeholder="Any" clearable data={SUBSCRIBER_STATUSES.map((s) => ({ value: s, label: SUBSCRIBER_STATUS_LABELS[s] }))} value={status} onChange={setStatus} w={220} />
        <div style={{ marginLeft: 'auto' }}>
          <ExportButton path="/api/newsletter/subscribers/export" filters={filters} />
        </div>
      </Group>
      {list.isError ? (
        <QueryError embedded error={list.error} />
      ) : (
        <Card withBorder p={0}>
          <Table.ScrollContainer minWidth={600}>
            <Table verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Address</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Receives</Table.Th>
                  <Table.Th>Changed</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.items.length === 0 && !list.isPending && <EmptyRow colSpan={4}>No subscribers match.</EmptyRow>}
                {list.items.map((s) => (
                  <Table.Tr key={s.id}>
                    <Table.Td>
                      <Text size="sm">{s.name || s.email}</Text>
                      <Text size="xs" c="dimmed">
                        {s.email}
                      </Text>
                    </Table.Td>
                    <Table.Td>{SUBSCRIBER_STATUS_LABELS[s.status]}</Table.Td>
                    <Table.Td>
                      {s.frequency === 'monthly' ? 'Monthly only' : 'Every edition'}
                      {s.optIn ? '' : ' (through the workspace)'}
                    </Table.Td>
                    <Table.Td>{formatDateTime(s.updatedAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
      <ListFooter list={list} noun="addresses" />
    </>
  );
}
