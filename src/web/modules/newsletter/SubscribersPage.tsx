import { Button, Card, Group, Select, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { SUBSCRIBER_STATUS_LABELS, SUBSCRIBER_STATUSES, type SubscriberStatus } from '../../../contracts/newsletter';
import { post } from '../../api';
import { FilterGrid, FilterPanel, SearchInput } from '../../ui/filters';
import { formatDateTime } from '../../ui/format';
import { applyServerErrors } from '../../ui/forms';
import { ExportButton, ListTable, ListTools, useUrlList, useUrlText } from '../../ui/list';
import { notifySuccess } from '../../ui/notify';
import { PageBreadcrumbs } from '../../ui/PageBreadcrumbs';
import { PageHeader } from '../../ui/PageHeader';

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
  const list = useUrlList<Subscriber, 'email' | 'status'>({ key: 'newsletter-subscribers', path: '/api/newsletter/subscribers', sort: { sort: 'email', order: 'asc' } });
  const q = useUrlText(list);
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
      <FilterPanel>
        <Group mb="sm" justify="flex-end" gap="sm">
          <ListTools list={list} />
          <ExportButton href={list.exportHref} />
        </Group>
        <FilterGrid cols={{ base: 1, sm: 2 }}>
          <SearchInput placeholder="Email or name" {...q} />
          <Select label="Status" placeholder="Any" clearable data={SUBSCRIBER_STATUSES.map((s) => ({ value: s, label: SUBSCRIBER_STATUS_LABELS[s] }))} {...list.field('status')} />
        </FilterGrid>
      </FilterPanel>
      <ListTable
        list={list}
        testId="subscribers"
        minWidth={600}
        noun="addresses"
        empty="No subscribers match these filters."
        columns={[
          {
            key: 'address',
            header: 'Address',
            sort: 'email',
            cell: (s) => (
              <>
                <Text size="sm">{s.name || s.email}</Text>
                <Text size="xs" c="dimmed">
                  {s.email}
                </Text>
              </>
            ),
          },
          { key: 'status', header: 'Status', sort: 'status', cell: (s) => SUBSCRIBER_STATUS_LABELS[s.status] },
          { key: 'receives', header: 'Receives', cell: (s) => `${s.frequency === 'monthly' ? 'Monthly only' : 'Every edition'}${s.optIn ? '' : ' (through the workspace)'}` },
          { key: 'changed', header: 'Changed', nowrap: true, cell: (s) => formatDateTime(s.updatedAt) },
        ]}
      />
    </>
  );
}
